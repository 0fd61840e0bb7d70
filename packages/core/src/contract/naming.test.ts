import { describe, expect, it } from 'vitest';
import { endpointNameOf, serviceNameOf } from './naming.js';

describe('serviceNameOf', () => {
  it.each([
    // As the reference derives them.
    ['IMyService', 'my-service'],
    ['MyServiceInterface', 'my-service'],
    ['IMyServiceInterface', 'my-service'],
    ['MyV2Service', 'my-v2-service'],
    ['IoService', 'io-service'],
    ['TortoiseTTS', 'tortoise-tts'],
    ['IStorage', 'storage'],
    ['IDocumentationService', 'documentation-service'],
    ['Service2Go', 'service2-go'],
    ['Probe', 'probe'],
    // Acronyms stay together where the reference would write httpserver and oservice.
    ['HTTPServer', 'http-server'],
    ['IOService', 'io-service'],
    ['MyHTTPService', 'my-http-service'],
    // Nothing is left to strip from these.
    ['Interface', 'interface'],
    ['I', 'i'],
    ['Ice', 'ice'],
    ['My_Service', 'my-service'],
  ])('%s → %s', (className, name) => {
    expect(serviceNameOf(className)).toBe(name);
  });
});

describe('endpointNameOf', () => {
  it.each([
    ['select', 'select'],
    ['json_only', 'json-only'],
    ['jsonOnly', 'json-only'],
    ['getHTTPStatus', 'get-http-status'],
    ['badResult', 'bad-result'],
    ['v2', 'v2'],
    ['readV2Data', 'read-v2-data'],
  ])('%s → %s', (methodName, name) => {
    expect(endpointNameOf(methodName)).toBe(name);
  });
});
