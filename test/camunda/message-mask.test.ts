import { describe, expect, it } from 'vitest';
import { likeMatches } from '../../src/camunda/like';
import { maskMessage } from '../../src/camunda/message-mask';

describe('maskMessage', () => {
  it('gives incidents without message their own text and no pattern', () => {
    expect(maskMessage(null)).toEqual({ text: '(no message)', pattern: undefined });
    expect(maskMessage(undefined)).toEqual({ text: '(no message)', pattern: undefined });
    expect(maskMessage('')).toEqual({ text: '(no message)', pattern: undefined });
  });

  it('masks ids and keeps the sentence', () => {
    const a = maskMessage('java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.');
    const b = maskMessage('java.sql.SQLTransientConnectionException: HikariPool-2 - Connection is not available, request timed out after 5000ms.');
    expect(a.text).toBe('java.sql.SQLTransientConnectionException: HikariPool-… - Connection is not available, request timed out after ….');
    expect(b).toEqual(a);
    expect(likeMatches(a.pattern!, 'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.')).toBe(true);
  });
});
