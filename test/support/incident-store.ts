import nock from 'nock';
import { formatCamundaDate, parseCamundaDate } from '../../src/camunda/dates';
import { keyAndVersionOfId } from '../../src/camunda/definitions';
import { likeMatches } from '../../src/camunda/like';
import type { IncidentDto } from '../../src/camunda/types';
import { MOCK_ENGINE } from './nock';

/*
 * A nock engine holding open incidents, for tests of the grouping by cause: it answers
 * GET /incident and /incident/count with the engine's filter semantics (Incident.xml:133-200 of
 * camunda-bpm-platform: equality on type, activity, failed activity, root cause, definition id;
 * `PROCDEF.KEY_ in (…)` for processDefinitionKeyIn; `like … ESCAPE '\'` for incidentMessageLike,
 * never true for a null message; strict `>`/`<` for the timestamps), sorting and paging, and
 * GET /process-definition(/count) from the definitions. Every request is recorded; a parameter it
 * does not know ends the test with HTTP 400, so that a check cannot rely on a filter silently ignored.
 */

export interface StoredDefinition {
  readonly id: string;
  readonly key: string;
  readonly version: number;
  readonly tenantId?: string | null;
}

export interface StoreRequest {
  readonly path: string;
  readonly query: Record<string, string>;
}

const FILTERS = new Set([
  'incidentId', 'incidentType', 'incidentMessage', 'incidentMessageLike', 'processDefinitionId', 'processDefinitionKeyIn',
  'activityId', 'failedActivityId', 'rootCauseIncidentId', 'causeIncidentId', 'tenantIdIn', 'incidentTimestampAfter', 'incidentTimestampBefore', 'jobDefinitionIdIn',
]);
const PAGING = new Set(['sortBy', 'sortOrder', 'firstResult', 'maxResults']);

export function keyOf(incident: IncidentDto, definitions: readonly StoredDefinition[]): string | undefined {
  const id = incident.processDefinitionId ?? '';
  return definitions.find((d) => d.id === id)?.key ?? keyAndVersionOfId(id)?.key;
}

function matches(i: IncidentDto, q: Record<string, string>, definitions: readonly StoredDefinition[]): boolean {
  const eq = (name: string, value: string | null | undefined) => q[name] === undefined || q[name] === value;
  const list = (name: string) => q[name]?.split(',');
  if (!eq('incidentId', i.id) || !eq('incidentType', i.incidentType) || !eq('incidentMessage', i.incidentMessage)) return false;
  if (!eq('processDefinitionId', i.processDefinitionId) || !eq('activityId', i.activityId) || !eq('failedActivityId', i.failedActivityId)) return false;
  if (!eq('rootCauseIncidentId', i.rootCauseIncidentId) || !eq('causeIncidentId', i.causeIncidentId)) return false;
  if (q.incidentMessageLike !== undefined && !likeMatches(q.incidentMessageLike, i.incidentMessage)) return false;
  const keys = list('processDefinitionKeyIn');
  if (keys && !keys.includes(keyOf(i, definitions) ?? '')) return false;
  const jobDefinitions = list('jobDefinitionIdIn');
  if (jobDefinitions && !jobDefinitions.includes(i.jobDefinitionId ?? '')) return false;
  const tenants = list('tenantIdIn');
  if (tenants && !tenants.includes(i.tenantId ?? '\u0000')) return false;
  const at = parseCamundaDate(i.incidentTimestamp)?.getTime() ?? 0;
  if (q.incidentTimestampAfter !== undefined && !(at > parseCamundaDate(q.incidentTimestampAfter)!.getTime())) return false;
  if (q.incidentTimestampBefore !== undefined && !(at < parseCamundaDate(q.incidentTimestampBefore)!.getTime())) return false;
  return true;
}

function sortKey(i: IncidentDto, by: string): string | number {
  if (by === 'incidentTimestamp') return parseCamundaDate(i.incidentTimestamp)?.getTime() ?? 0;
  return String((i as unknown as Record<string, unknown>)[by] ?? '');
}

/** The answer of the engine holding `incidents` to GET `path` with `query`; undefined for other paths. */
export function answer(incidents: readonly IncidentDto[], definitions: readonly StoredDefinition[], path: string, q: Record<string, string>): [number, unknown] | undefined {
  if (path === '/incident' || path === '/incident/count') {
    const unknown = Object.keys(q).filter((name) => !FILTERS.has(name) && !(path === '/incident' && PAGING.has(name)));
    if (unknown.length) return [400, { type: 'InvalidRequestException', message: `unknown parameter ${unknown.join(', ')}` }];
    const found = incidents.filter((i) => matches(i, q, definitions));
    if (path === '/incident/count') return [200, { count: found.length }];
    if (q.sortBy) {
      const direction = q.sortOrder === 'desc' ? -1 : 1;
      found.sort((a, b) => {
        const [x, y] = [sortKey(a, q.sortBy!), sortKey(b, q.sortBy!)];
        return (x < y ? -1 : x > y ? 1 : 0) * direction || (a.id ?? '').localeCompare(b.id ?? '');
      });
    }
    const first = Number(q.firstResult ?? 0);
    return [200, found.slice(first, first + Number(q.maxResults ?? Number.MAX_SAFE_INTEGER))];
  }
  if (path === '/process-definition/count') {
    return [200, { count: definitions.filter((d) => d.key === q.key).length || (incidents.some((i) => keyOf(i, definitions) === q.key) ? 1 : 0) }];
  }
  if (path === '/process-definition') {
    const ids = (q.processDefinitionIdIn ?? '').split(',');
    return [200, definitions.filter((d) => ids.includes(d.id)).map((d) => ({ ...d, name: null, description: null, category: null, resource: null, deploymentId: null, diagram: null, suspended: false, tenantId: d.tenantId ?? null, versionTag: null, historyTimeToLive: null, startableInTasklist: true }))];
  }
  return undefined;
}

/** Serves `incidents` at MOCK_ENGINE for the rest of the test; the returned list records every request. */
export function incidentStore(incidents: readonly IncidentDto[], definitions: readonly StoredDefinition[] = []): StoreRequest[] {
  const seen: StoreRequest[] = [];
  nock(MOCK_ENGINE)
    .persist()
    .get(/^\/engine-rest\/(incident|process-definition)(\/count)?(\?|$)/)
    .query(true)
    .optionally()
    .reply(function (uri) {
      const url = new URL(uri, MOCK_ENGINE);
      const path = url.pathname.replace('/engine-rest', '');
      const query = Object.fromEntries(url.searchParams);
      seen.push({ path, query });
      return answer(incidents, definitions, path, query) ?? [404, ''];
    });
  return seen;
}

/** What `openIncidents` makes: `count` root incidents of one place, `message(n)` and `ageSeconds(n)` per incident n. */
export interface IncidentBatch {
  readonly count: number;
  readonly prefix: string;
  readonly definitionId?: string;
  readonly activityId?: string;
  readonly failedActivityId?: string | null;
  readonly incidentType?: string;
  readonly tenantId?: string | null;
  readonly message: (n: number) => string | null;
  readonly ageSeconds: (n: number) => number;
  readonly now: Date;
}

/** Root incidents (each its own cause and root cause, IncidentEntity.java:163-164), ids `<prefix>-<n>`. */
export function openIncidents(batch: IncidentBatch): IncidentDto[] {
  return Array.from({ length: batch.count }, (_, n) => {
    const id = `${batch.prefix}-${n}`;
    const activityId = batch.activityId ?? 'ServiceTask_1';
    return {
      id,
      processDefinitionId: batch.definitionId ?? 'invoice:1:c3a63aaa',
      processInstanceId: `pi-${id}`,
      executionId: `ex-${id}`,
      incidentTimestamp: formatCamundaDate(new Date(batch.now.getTime() - batch.ageSeconds(n) * 1000)),
      incidentType: batch.incidentType ?? 'failedJob',
      activityId,
      failedActivityId: batch.failedActivityId === undefined ? activityId : batch.failedActivityId,
      causeIncidentId: id,
      rootCauseIncidentId: id,
      configuration: null,
      tenantId: batch.tenantId ?? null,
      incidentMessage: batch.message(n),
      jobDefinitionId: null,
      annotation: null,
    };
  });
}

/** Letters only, so that the mask keeps them: a distinct word for each n < 17 576. */
export const word = (n: number): string => String.fromCharCode(97 + (n % 26)) + String.fromCharCode(97 + (Math.floor(n / 26) % 26)) + String.fromCharCode(97 + Math.floor(n / 676));

/**
 * The outage of issue 15 at `now`: 2038 incidents of one SAP failure in two versions of invoice,
 * ids varying in the messages, from 2h 10m to 62 s ago (the 15m window falls 2 s from an incident); two mail failures a day old; one new kind of
 * problem (an external task 6m ago).
 */
export function outageIncidents(now: Date): IncidentDto[] {
  const sap = (version: number, offset: number) =>
    openIncidents({
      count: 1019,
      prefix: `sap${version}`,
      definitionId: `invoice:${version}:x${version}`,
      activityId: 'ServiceTask_PostToSAP',
      message: (n) => `com.sap.conn.jco.JCoException: (102) JCO_ERROR_COMMUNICATION: Connection refused: sapgw00, request ${4711 + n}`,
      ageSeconds: (n) => 62 + ((2 * n + offset) * (2 * 3600 + 9 * 60)) / 2037,
      now,
    });
  return [
    ...sap(2, 1),
    ...sap(3, 0),
    ...openIncidents({ count: 2, prefix: 'mail', definitionId: 'order:1:o1', activityId: 'ServiceTask_SendConfirmation', message: (n) => `org.springframework.mail.MailSendException: Mail server connection failed, attempt ${n + 1}`, ageSeconds: (n) => 26 * 3600 + n, now }),
    ...openIncidents({ count: 1, prefix: 'score', definitionId: 'claims:4:c4', activityId: 'Task_Score', incidentType: 'failedExternalTask', message: () => 'Scoring service answered 500 Internal Server Error', ageSeconds: () => 6 * 60, now }),
  ];
}

/**
 * The demo scenario's open incidents at `now` (src/simulator/scenarios/demo.json): 7 incidents in
 * 6 causes over invoice (v1, v2), order (v2, v3) and onboarding (tenant acme), one of them a failure
 * in onboarding called from order, whose copy at the call activity has no message.
 */
export function demoIncidents(now: Date): IncidentDto[] {
  const one = (prefix: string, definitionId: string, activityId: string, incidentType: string, message: string, ageSeconds: number, tenantId: string | null = null) =>
    openIncidents({ count: 1, prefix, definitionId, activityId, incidentType, tenantId, message: () => message, ageSeconds: () => ageSeconds, now })[0]!;
  const kyc = one('kyc', 'onboarding:1:n1', 'Task_VerifyIdentity', 'kycCheckFailed', 'Identity document expired: passport valid until 2023-08-31', 5 * 3600, 'acme');
  const copy: IncidentDto = { ...kyc, id: 'kyc-copy', causeIncidentId: kyc.id, processDefinitionId: 'order:3:o3', processInstanceId: 'pi-order-new-customer', activityId: 'CallActivity_OnboardCustomer', failedActivityId: 'CallActivity_OnboardCustomer', incidentMessage: null, tenantId: null };
  return [
    one('stock', 'order:3:o3', 'Task_ReserveStock', 'failedExternalTask', 'java.lang.IllegalStateException: Warehouse API answered 503 Service Unavailable for POST /reservations', 6 * 60),
    one('sap', 'invoice:2:i2', 'ServiceTask_PostToSAP', 'failedJob', "com.sap.conn.jco.JCoException: (102) JCO_ERROR_COMMUNICATION: Connection timeout to partner 'sapgw00' on host 'erp-prod.example.com'", 12 * 60),
    one('posting', 'invoice:2:i2', 'ServiceTask_PostToSAP', 'failedJob', 'com.example.sap.PostingException: BAPI_ACC_DOCUMENT_POST failed for INV-2024-0412: Posting period 011 2024 is not open', 47 * 60),
    kyc,
    copy,
    one('mail', 'order:2:o2', 'ServiceTask_SendConfirmation', 'failedJob', 'org.springframework.mail.MailSendException: Mail server connection failed', 26 * 3600),
    one('archive', 'invoice:1:i1', 'ServiceTask_ArchiveInvoice', 'failedJob', 'org.springframework.web.client.ResourceAccessException: I/O error on PUT request for "https://dms.example.com/api/documents": Read timed out', 76 * 3600),
  ];
}
