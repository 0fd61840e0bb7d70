import { JsonObject, endpoint, optional, service, unimplemented } from '@marshal/core';

/** The reference's first example: pick the texts of the records with a given id. */
@service()
export class IMyService {
  @endpoint({
    params: [
      ['id', String],
      ['data', [JsonObject]],
      ['drop_duplicates', optional(Boolean)],
    ],
    returns: [String],
    description: 'The `text` of every record in `data` whose `id` matches, optionally without repeats.',
  })
  select(id: string, data: JsonObject[], drop_duplicates?: boolean | null): Promise<string[]> {
    return unimplemented();
  }
}
