/**
 * The reference's Python client (kaia marshalling) tags values whose class the declared type
 * already decides: for a `list[A | B | C]` it tries A's dataclass handler on every member, and
 * that handler writes any member not exactly of class A with its fields followed by
 * `"@type": "dataclass", "@subtype": "<module>.<QualName>"` (docs in shared/reference,
 * kaia-wire.md §6). Its body is `json.dumps`'d as `requests.post(url, json=…)` does: `", "` and
 * `": "` separators, aware datetimes as isoformat, None as null. Marshal reads such a tag as no
 * tag when its last segment names the class the declared type (or the discriminator) picked; a
 * tag that names any other class still has to be registered.
 */
import { describe, expect, it } from 'vitest';
import { Int, endpoint, field, service, unimplemented } from '@marshal/core';
import { ExperimentTracker } from '../../examples/experiment-tracker/experiment-tracker.js';
import { serveForTests } from '../helpers/serve.js';
import { call, post } from '../helpers/http.js';

class Point {
  @field(Number) x!: number;
  @field(Number) y!: number;
}

@service()
class IGeometry {
  @endpoint({ params: [['points', [Point]]], returns: Int })
  count(points: Point[]): Promise<number> { return unimplemented(); }
}

class Geometry extends IGeometry {
  override async count(points: Point[]) {
    return points.filter((point) => point instanceof Point).length;
  }
}

/** What the Python client sends for IExperimentTracker.ingest(requests: list[CreateRunRequest | LogMetricRequest | FinishRunRequest]). */
const pythonBatch =
  '{"requests": [' +
  '{"type": "create_run", "run_id": "py-1", "experiment": "baseline"}, ' +
  '{"type": "log_metric", "run_id": "py-1", "name": "loss", "value": 0.5, "step": 1, "context": null, "timestamp": "2026-03-01T10:00:00+00:00", "@type": "dataclass", "@subtype": "tracker_client.models.LogMetricRequest"}, ' +
  '{"type": "log_metric", "run_id": "py-1", "name": "loss", "value": 0.25, "step": 2, "context": {"subset": "train"}, "timestamp": "2026-03-01T10:00:05+00:00", "@type": "dataclass", "@subtype": "tracker_client.models.LogMetricRequest"}, ' +
  '{"type": "finish_run", "run_id": "py-1", "@type": "dataclass", "@subtype": "tracker_client.models.FinishRunRequest"}' +
  ']}';

describe("the reference's Python client's @type/@subtype tags", () => {
  const served = serveForTests({ services: [new ExperimentTracker(), new Geometry()] });

  it('on the members of a list of a tagged union: the discriminator decides, the tags do not fail the call', async () => {
    const answer = await post(`${served.url}/experiment-tracker/ingest`, pythonBatch, true);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: 4 });
    const run = await call(`${served.url}/experiment-tracker/run/py-1`);
    expect(run.body).toMatchObject({ run_id: 'py-1', experiment: 'baseline', finished: true, last_values: { loss: 0.25 }, metric_count: 2 });
  });

  it('on the members of a list of DTOs, as a script (__main__) or a module tags them', async () => {
    const body = '{"points": [{"x": 1.0, "y": 2.0}, {"x": 3.0, "y": 4.0, "@type": "dataclass", "@subtype": "__main__.Point"}, {"x": 5.0, "y": 6.0, "@type": "dataclass", "@subtype": "geometry.shapes.Point"}]}';
    const answer = await post(`${served.url}/geometry/count`, body, true);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: 3 });
  });

  it('still refuses a tag that names another class, or one the registry does not hold', async () => {
    for (const [body, subtype] of [
      ['{"points": [{"x": 1.0, "y": 2.0, "@type": "dataclass", "@subtype": "geometry.Vector"}]}', 'geometry.Vector'],
      ['{"points": [{"x": 1.0, "y": 2.0, "@type": "dataclass", "@subtype": "os.system"}]}', 'os.system'],
    ]) {
      const answer = await post(`${served.url}/geometry/count`, body, true);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'MARSHAL_ERR_BAD_PARAMETER', issues: [{ path: 'points[0]', message: `unknown @subtype "${subtype}"` }] });
    }
    const wrongClass = pythonBatch.replace('"@subtype": "tracker_client.models.FinishRunRequest"', '"@subtype": "tracker_client.models.CreateRunRequest"');
    const answer = await post(`${served.url}/experiment-tracker/ingest`, wrongClass, true);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ issues: [{ path: 'requests[3]', message: 'unknown @subtype "tracker_client.models.CreateRunRequest"' }] });
  });
});
