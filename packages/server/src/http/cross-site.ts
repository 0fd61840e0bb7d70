import { MarshalError } from '@marshal/core/internal';
import { clip } from '../core/error-response.js';
import type { HttpExchange } from './exchange.js';

/**
 * Whether a browser sent this request from a page of another site. Browsers send a "simple"
 * cross-site POST (text/plain, form data) without asking first: the page cannot read the answer,
 * but the call runs. Browsers mark such requests: Sec-Fetch-Site (every current browser), or an
 * Origin that is not the server's own (older ones). Clients that are not browsers send neither,
 * so curl, server-side clients and the reference's Python client are never refused.
 */
export function isCrossSite(exchange: Pick<HttpExchange, 'header'>): boolean {
  const site = exchange.header('sec-fetch-site');
  if (site !== undefined) return site === 'cross-site' || site === 'same-site';
  const origin = exchange.header('origin');
  if (origin === undefined) return false;
  return origin === 'null' || hostOf(origin) !== exchange.header('host')?.toLowerCase();
}

function hostOf(origin: string): string | undefined {
  const start = origin.indexOf('://');
  return start < 0 ? undefined : origin.slice(start + 3).toLowerCase();
}

export function crossSiteRefusal(exchange: Pick<HttpExchange, 'header'>): MarshalError {
  const origin = exchange.header('origin');
  const from = origin === undefined ? 'another site' : JSON.stringify(clip(origin, 200));
  return new MarshalError('MARSHAL_ERR_CROSS_SITE', `a cross-site browser request from ${from} is not allowed by this server's CORS policy`);
}
