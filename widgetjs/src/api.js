// Requests to the widget's API. The token travels in a header, never a
// cookie: requests carry no credentials.

// ApiError is a refusal the server explained (its JSON error code), or a
// network failure (code "network_error": the server could not be reached,
// or the browser hid the answer, as it does for an origin that is not
// allowed).
export class ApiError extends Error {
  constructor(code, message, status) {
    super(message || code);
    this.code = code;
    this.status = status || 0;
  }
}

export async function request(base, path, { token, key, method = "GET", body } = {}) {
  const headers = {};
  if (token) headers.Authorization = "Bearer " + token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let url = base + path;
  if (key) url += (url.includes("?") ? "&" : "?") + "key=" + encodeURIComponent(key);
  let resp;
  try {
    resp = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      mode: "cors",
      cache: "no-store",
    });
  } catch (e) {
    throw new ApiError("network_error", e && e.message);
  }
  let data = null;
  try {
    data = await resp.json();
  } catch (e) {
    data = null;
  }
  if (!resp.ok) {
    const err = (data && data.error) || {};
    throw new ApiError(err.code || "http_" + resp.status, err.message, resp.status);
  }
  return data;
}
