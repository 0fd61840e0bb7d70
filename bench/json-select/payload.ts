/**
 * The one call every server in this benchmark answers, and the one answer it must give:
 *
 *   POST /my-service/select/test?drop_duplicates=True   {"data": [...records]}
 *   → 200 application/json   ["example 1","example 2"]
 */

/** The seed's four records (the reference README's curl call). */
export const seedRecords = [
  { id: 'test', text: 'example 1' },
  { id: 'test', text: 'example 2' },
  { id: 'test', text: 'example 1' },
  { id: 'test_1', text: 'example 3' },
];

/** A more realistic body: 20 records with a few more fields, 6 of them matching (with repeats). */
export const records20 = Array.from({ length: 20 }, (_, i) => {
  const matching = i % 3 === 0 && i < 18; // 0, 3, 6, 9, 12, 15
  return {
    id: matching ? 'test' : `test_${i}`,
    text: matching ? `example ${(i / 3) % 2 === 0 ? 1 : 2}` : `example ${i + 3}`,
    score: Math.round(((i * 37) % 101) * 1.5) / 10,
    created: new Date(Date.UTC(2024, 0, 1 + i, 12, i)).toISOString(),
    tags: ['alpha', 'beta', 'gamma'].slice(0, 1 + (i % 3)),
    active: i % 2 === 0,
  };
});

export const payloads = { seed: seedRecords, records20 } as const;
export type PayloadName = keyof typeof payloads;

export const requestPath = '/my-service/select/test?drop_duplicates=True';
export const expectedBody = '["example 1","example 2"]';

export function requestBody(payload: PayloadName): string {
  return JSON.stringify({ data: payloads[payload] });
}
