/** Links into Camunda Cockpit (the webapp's hash routes), from the base URL the operator gives with --cockpit-url. */
export function processInstanceLink(cockpitUrl: string | undefined, processInstanceId: string | null | undefined, tab?: string): string {
  if (!cockpitUrl || !processInstanceId) return '';
  return ` ${cockpitUrl}/#/process-instance/${encodeURIComponent(processInstanceId)}/runtime${tab ? `?tab=${tab}` : ''}`;
}

export function processDefinitionLink(cockpitUrl: string | undefined, processDefinitionId: string | null | undefined, tab?: string): string {
  if (!cockpitUrl || !processDefinitionId) return '';
  return ` ${cockpitUrl}/#/process-definition/${encodeURIComponent(processDefinitionId)}/runtime${tab ? `?tab=${tab}` : ''}`;
}
