// A fetch for one request that reports its progress: fetch() has no upload progress, so this sends through
// XMLHttpRequest and answers with a Response. urql takes it per operation (the `fetch` of its context).

export interface TransferEvents {
  /** Bytes of the request body sent so far, of `total` (0 when unknown). */
  uploading?(sent: number, total: number): void;
  /** The whole request is with the server: from here it works (reads, checks, writes). */
  sent?(): void;
  /** Bytes of the answer received so far, of `total` (0 when unknown). */
  downloading?(received: number, total: number): void;
}

export function fetchWithProgress(events: TransferEvents): typeof fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(init.method ?? "POST", typeof input === "string" || input instanceof URL ? String(input) : input.url);
      new Headers(init.headers).forEach((value, name) => {
        xhr.setRequestHeader(name, value);
      });
      xhr.responseType = "blob";
      xhr.upload.onprogress = (e) => events.uploading?.(e.loaded, e.lengthComputable ? e.total : 0);
      xhr.upload.onload = () => events.sent?.();
      xhr.onprogress = (e) => events.downloading?.(e.loaded, e.lengthComputable ? e.total : 0);
      xhr.onload = () => {
        const headers = new Headers();
        for (const line of xhr
          .getAllResponseHeaders()
          .trim()
          .split(/[\r\n]+/)) {
          const at = line.indexOf(":");
          if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
        }
        resolve(new Response(xhr.response as Blob, { status: xhr.status, statusText: xhr.statusText, headers }));
      };
      xhr.onerror = () => reject(new TypeError("Network request failed"));
      xhr.onabort = () => reject(new DOMException("Aborted", "AbortError"));
      init.signal?.addEventListener("abort", () => xhr.abort());
      xhr.send((init.body ?? null) as XMLHttpRequestBodyInit | null);
    });
}
