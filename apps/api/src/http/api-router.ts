import { Router } from 'express';

/**
 * A router of the service's routes. Paths match case-sensitively (`/Predict` is not `/predict`,
 * and the Open Inference Protocol's paths are case-sensitive), with an optional trailing slash.
 */
export function apiRouter(): Router {
  return Router({ caseSensitive: true });
}

interface LayerLike {
  route?: { methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
  match(path: string): { path: string } | false;
}

/**
 * The methods some route of `stack` (an Express router's) answers on `path`, upper case and sorted;
 * HEAD wherever GET is. Empty when no route has the path. For the 405 answer and its Allow header.
 */
export function allowedMethods(stack: readonly LayerLike[], path: string): string[] {
  const methods = new Set<string>();
  collect(stack, path, methods);
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

function collect(stack: readonly LayerLike[], path: string, methods: Set<string>): void {
  for (const layer of stack) {
    const match = layer.match(path);
    if (!match) continue;
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') methods.add(method.toUpperCase());
    } else if (Array.isArray(layer.handle?.stack)) {
      // A router mounted under a prefix sees the path without it.
      collect(layer.handle.stack, path.slice(match.path.length) || '/', methods);
    }
  }
}
