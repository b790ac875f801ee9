// The service worker: keeps a copy of the app so the page loads and analyses with the
// network off. Network first, so a new deploy is picked up as soon as it is reachable;
// the cache answers only when the network does not. It only ever stores the site's own
// files (the app, the samples): a log the user drops never passes through here.
"use strict";

const CACHE = "loglens-app";

// On install, the page and everything index.html names, plus the workers' files.
self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const response = await fetch("./", { cache: "no-store" });
      const html = await response.clone().text();
      await cache.put("./", response);
      const named = [...html.matchAll(/(?:href=|src=|from |module_or_path: )["']([^"']+)["']/g)]
        .map((match) => match[1])
        .filter((url) => !url.startsWith("data:") && new URL(url, self.location).origin === self.location.origin);
      // As absolute URLs: addAll refuses the same file named twice ("x" and "./x").
      const files = [...named, "./worker-loader.js", "./worker.js", "./worker_bg.wasm", "./sigma-yaml-loader.js", "./sigma_yaml.js", "./sigma_yaml_bg.wasm", "./manifest.webmanifest", "./sigma-rules.json"];
      await cache.addAll([...new Set(files.map((url) => new URL(url, self.location).href))]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(request);
        if (response.ok) await cache.put(request, response.clone());
        return response;
      } catch (offline) {
        const cached = await cache.match(request, { ignoreSearch: true });
        if (cached) return cached;
        throw offline;
      }
    })(),
  );
});
