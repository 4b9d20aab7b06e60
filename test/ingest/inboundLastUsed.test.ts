import { authenticateInbound, createInboundConnection, LAST_USED_INTERVAL_MS, recordInboundUse } from '../../src/ingest/dataConnections';
import { DataConnection } from '../../src/storage/models/DataConnection';
import { useTestDb } from '../support';

describe('inbound credentials: last used', () => {
  useTestDb();

  it('records lastUsedAt on the first accepted use, not on refused credentials', async () => {
    const issued = await createInboundConnection({ kind: 'xapi', platform: 'openedx' });
    await expect(authenticateInbound(`Bearer ${issued.key}.wrong`, ['xapi'])).rejects.toThrow('These data connection credentials are not valid.');
    expect((await DataConnection.findById(issued.connectionId).lean())!.lastUsedAt).toBeUndefined();

    const before = Date.now();
    await authenticateInbound(`Bearer ${issued.bearer}`, ['xapi']);
    const used = (await DataConnection.findById(issued.connectionId).lean())!.lastUsedAt!;
    expect(used.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(used.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('writes at most once a minute per connection', async () => {
    const issued = await createInboundConnection({ kind: 'caliper', platform: 'canvas' });
    const basic = `Basic ${Buffer.from(`${issued.key}:${issued.secret}`).toString('base64')}`;
    await authenticateInbound(basic, ['caliper']);
    const marker = new Date('2020-01-01T00:00:00Z');
    await DataConnection.updateOne({ _id: issued.connectionId }, { $set: { lastUsedAt: marker } });
    for (let i = 0; i < 5; i++) await authenticateInbound(basic, ['caliper']);
    expect((await DataConnection.findById(issued.connectionId).lean())!.lastUsedAt).toEqual(marker);

    const connection = (await DataConnection.findById(issued.connectionId).lean())!;
    const later = Date.now() + LAST_USED_INTERVAL_MS;
    expect(await recordInboundUse(connection, later - 1000 - LAST_USED_INTERVAL_MS / 2)).toBe(false);
    expect(await recordInboundUse(connection, later)).toBe(true);
    expect((await DataConnection.findById(issued.connectionId).lean())!.lastUsedAt).toEqual(new Date(later));
    expect(await recordInboundUse(connection, later + 30_000)).toBe(false);
  });

  it('skips the write when the stored lastUsedAt shows another process wrote it within the minute', async () => {
    const issued = await createInboundConnection({ kind: 'xapi', platform: 'openedx' });
    const now = Date.now();
    const recent = new Date(now - 20_000);
    await DataConnection.updateOne({ _id: issued.connectionId }, { $set: { lastUsedAt: recent } });
    const connection = (await DataConnection.findById(issued.connectionId).lean())!;
    expect(await recordInboundUse(connection, now)).toBe(false);
    expect(await recordInboundUse(connection, now + 41_000)).toBe(true);
  });
});
