import { Bytes, endpoint, field, service, unimplemented } from '@marshal/core';

/** Bytes inside a DTO (base64 on the wire). */
export class Blob {
  @field(Bytes) data!: Uint8Array;
}

/** Bytes both ways, for the page that calls Marshal from a browser. */
@service()
export class IByteService {
  @endpoint({ params: [['blob', Blob]], returns: Blob })
  reverse(blob: Blob): Promise<Blob> {
    return unimplemented();
  }
}

export class ByteService extends IByteService {
  override async reverse(blob: Blob): Promise<Blob> {
    return Object.assign(new Blob(), { data: Uint8Array.from(blob.data).reverse() });
  }
}
