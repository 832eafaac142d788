import { parseDuration } from '../dates';
import { eq, type QueryResource } from '../query';
import type { EngineScenario } from '../scenario';
import type { DateFormatter } from './types';

/** A row of ACT_GE_SCHEMA_LOG: written by the create script and by every update script run on the database. */
export interface SchemaLogEntry {
  id: string;
  version: string;
  timestamp: Date;
}

/**
 * The schema log of one engine's database. Without `schemaLog` in the scenario the database
 * was created for the version the simulator reports (`camundaVersion`), 90 days ago. An empty
 * list is what a user outside camunda-admin sees: the engine hides the entries rather than
 * refusing the request.
 */
export function buildSchemaLog(scenario: EngineScenario, camundaVersion: string, now: Date): SchemaLogEntry[] {
  const entries = scenario.schemaLog ?? [{ version: camundaVersion, ago: '90d' }];
  // Ids are counters as the scripts write them: '0' for the create script, then one more per update.
  return entries.map((entry, i) => ({ id: String(i), version: entry.version, timestamp: new Date(now.getTime() - parseDuration(entry.ago ?? '90d')) }));
}

/** GET /schema/log (SchemaLogQueryDto: `version`, sorting by `timestamp`, paging). */
export const schemaLogQuery: QueryResource<SchemaLogEntry> = {
  id: (entry) => entry.id,
  params: { version: eq((entry) => entry.version) },
  sortBy: { timestamp: (entry) => entry.timestamp },
};

export const schemaLogEntryDto = (entry: SchemaLogEntry, date: DateFormatter) => ({
  id: entry.id,
  timestamp: date(entry.timestamp),
  version: entry.version,
});
