declare const __PLUGIN_VERSION__: string | undefined;

/** Set by the build from package.json; `dev` when the sources run unbundled (tests). */
export const VERSION: string = typeof __PLUGIN_VERSION__ === 'string' ? __PLUGIN_VERSION__ : 'dev';
