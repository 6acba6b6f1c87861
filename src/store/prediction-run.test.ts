import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePrediction,
  decodeRun,
  encodeRuns,
  type PendingPrediction,
  parsePredictionId,
  PredictionIds,
  slotOf,
} from './prediction-run.js';

function pending(ids: PredictionIds, features: Record<string, number | string>): PendingPrediction {
  const { id, seq, check } = ids.take();
  const served = { modelId: 3, version: 7, createdAt: 1_700_000_000_000 + seq, features, output: { label: 'a', probabilities: [['a', 0.75], ['b', 0.25]], value: null } };
  return { id, seq, check, served: served as PendingPrediction['served'] };
}

describe('prediction ids', () => {
  it('are unique, parse back to their parts, and share the source of their generator', () => {
    const ids = new PredictionIds();
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const { id, seq, check } = ids.take();
      expect(seen.has(id)).toBe(false);
      seen.add(id);
      expect(parsePredictionId(id)).toEqual({ source: ids.source, seq, check });
    }
    expect(new PredictionIds().source).not.toBe(ids.source);
  });

  it('refuses what is not one (UUIDs of older logs, junk, overlong numbers)', () => {
    for (const id of ['', '0b1c8f6e-3f1c-4b8e-9a57-6d2d1d1f9b11', 'abcdefghij-1-0000000', 'abcdefghij-1-0000000g', 'ABCDEFGHIJ-1-00000000', 'abcdefghij-zzzzzzzzzzz-00000000', 'abcdefghij-1-00000000 ']) {
      expect(parsePredictionId(id)).toBeUndefined();
    }
  });
});

describe('prediction runs', () => {
  it('round-trip every prediction, non-ASCII included, and split at gaps in the seqs', () => {
    const ids = new PredictionIds();
    const all = [pending(ids, { x: 1.5, city: 'Zürich' }), pending(ids, { y: -2 }), pending(ids, { emoji: '🌊', z: 1e-300 })];
    ids.take(); // dropped during an outage: a gap
    all.push(pending(ids, { w: 0 }));
    const runs = encodeRuns(ids.source, all);
    expect(runs.map((r) => [r.firstSeq, r.count])).toEqual([[0, 3], [4, 1]]);
    const decoded = runs.flatMap(decodeRun);
    expect(decoded).toEqual(all.map((p) => ({ id: p.id, ...p.served })));
  });

  it('find one prediction by its slot, and only with the right check', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string())), { minLength: 1, maxLength: 40 }), (features) => {
        const ids = new PredictionIds();
        const all = features.map((f) => pending(ids, f));
        const [run] = encodeRuns(ids.source, all);
        for (const p of all) {
          const slot = slotOf(run.ends, p.seq)!;
          const bytes = run.payload.subarray(slot.start, slot.start + slot.length);
          const parts = parsePredictionId(p.id)!;
          // A -0 comes back 0, as the event log's JSON stores it; everything else exactly.
          const features = JSON.parse(JSON.stringify(p.served.features)) as typeof p.served.features;
          expect(decodePrediction({ ...parts, id: p.id }, bytes)).toEqual({ id: p.id, ...p.served, features });
          const forged = { ...parts, check: parts.check === '00000000' ? '00000001' : '00000000' };
          expect(decodePrediction({ ...forged, id: p.id }, bytes)).toBeUndefined();
        }
        expect(slotOf(run.ends, all.length)).toBeUndefined();
        expect(slotOf(run.ends, -1)).toBeUndefined();
      }),
      { examples: [[[{ zero: -0, tiny: 5e-324, big: 1.7976931348623157e308, city: 'Zürich' }, {}]]] },
    );
  });
});
