/**
 * The service name of a contract class, as the reference derives it and then a little better:
 * IMyService → my-service, MyServiceInterface → my-service, MyV2Service → my-v2-service.
 * Acronyms stay together (HTTPServer → http-server, IOService → io-service) where the reference
 * would write httpserver and oservice; a contract that must match such a name states it, and so
 * does one that is minified for a browser, where class names are not kept.
 */
export function serviceNameOf(className: string): string {
  // Bundlers may prefix a class they rename (esbuild writes _Item for a decorated class that refers to itself).
  let name = className.replace(/^[_$]+/, '');
  if (/^I[A-Z][a-z0-9]/.test(name)) name = name.slice(1);
  if (name.endsWith('Interface') && name.length > 'Interface'.length) name = name.slice(0, -'Interface'.length);
  return kebabCase(name);
}

/** The endpoint name of a method: json_only → json-only, jsonOnly → json-only. */
export function endpointNameOf(methodName: string): string {
  return kebabCase(methodName);
}

function kebabCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}
