import { describe, expect, it } from 'vitest';
import { formatCamundaDate, parseCamundaDate } from '../../src/camunda/dates';

describe('formatCamundaDate', () => {
  it('writes yyyy-MM-ddTHH:mm:ss.SSS+0000 in UTC', () => {
    expect(formatCamundaDate(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 0)))).toBe('2024-01-02T03:04:05.000+0000');
    expect(formatCamundaDate(new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999)))).toBe('1999-12-31T23:59:59.999+0000');
    expect(formatCamundaDate(new Date('2024-06-30T12:00:00.123+02:00'))).toBe('2024-06-30T10:00:00.123+0000');
  });

  it('always matches the pattern Camunda expects', () => {
    for (const ms of [0, 1, 1_700_000_000_000, 1_700_000_000_001, Date.now()]) {
      expect(formatCamundaDate(new Date(ms))).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    }
  });

  it('reads back to the same instant', () => {
    const date = new Date(Date.UTC(2024, 1, 29, 13, 14, 15, 16));
    expect(parseCamundaDate(formatCamundaDate(date))?.getTime()).toBe(date.getTime());
  });
});

describe('parseCamundaDate', () => {
  const utc = (iso: string) => new Date(iso).getTime();

  it.each([
    ['2013-01-23T14:42:45.000+0200', '2013-01-23T12:42:45.000Z'],
    ['2013-01-23T14:42:45.000+02:00', '2013-01-23T12:42:45.000Z'],
    ['2013-01-23T14:42:45.000-0530', '2013-01-23T20:12:45.000Z'],
    ['2013-01-23T14:42:45.000-05:30', '2013-01-23T20:12:45.000Z'],
    ['2013-01-23T14:42:45.000+0000', '2013-01-23T14:42:45.000Z'],
    ['2013-01-23T14:42:45.000Z', '2013-01-23T14:42:45.000Z'],
    ['2013-01-23T14:42:45Z', '2013-01-23T14:42:45.000Z'],
    ['2013-01-23T14:42:45.5+0100', '2013-01-23T13:42:45.500Z'],
    ['2013-01-23T14:42:45.123456+0000', '2013-01-23T14:42:45.123Z'],
    // Without offset: read as UTC, not as the local time of the monitoring host.
    ['2013-01-23T14:42:45.000', '2013-01-23T14:42:45.000Z'],
    ['2013-01-23T14:42:45', '2013-01-23T14:42:45.000Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseCamundaDate(text)?.getTime()).toBe(utc(iso));
  });

  it.each([
    ['garbage'],
    ['2013-01-23'],
    ['2013-01-23 14:42:45'],
    ['2013-01-23T14:42'],
    ['2013-01-23T14:42:45.000+2'],
    ['2013-01-23T14:42:45.000 +0200'],
    ['2013-01-23T14:42:45.000+0200 trailing'],
    [' 2013-01-23T14:42:45.000+0200'],
    ['2013-13-45T14:42:45.000+0200'],
    ['2013-01-23T25:42:45.000+0200'],
    ['1358944965000'],
    [''],
  ])('rejects %j', (text) => {
    expect(parseCamundaDate(text)).toBeUndefined();
  });

  it('reads a date without offset as UTC whatever the time zone of the monitoring host', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(new Date(2024, 0, 1).getTimezoneOffset()).toBe(300);
      expect(parseCamundaDate('2024-01-01T00:00:00.000')?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
      expect(formatCamundaDate(new Date(Date.UTC(2024, 0, 1)))).toBe('2024-01-01T00:00:00.000+0000');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('gives undefined for null and undefined', () => {
    expect(parseCamundaDate(null)).toBeUndefined();
    expect(parseCamundaDate(undefined)).toBeUndefined();
  });
});
