// Attribution: a visitor who arrives with ?ref=CODE on any page of the
// partner's site keeps the code in a first-party cookie for 30 days, so
// that the sign-up form can send it to the partner's backend, which claims
// it. A code only attributes; it never authorises.

const cookieName = "tandem_ref";
const maxAge = 30 * 24 * 60 * 60;
// Invite and referrer codes: 8 symbols of 2-9 and A-Z without I and O.
const codePattern = /^[2-9A-HJ-NP-Z]{8}$/;

// captureRef stores ?ref=CODE of the current URL, if it holds a code.
export function captureRef() {
  let code = null;
  try {
    code = new URLSearchParams(location.search).get("ref");
  } catch (e) {
    return;
  }
  if (!code) return;
  code = code.trim().toUpperCase();
  if (!codePattern.test(code)) return;
  const secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `${cookieName}=${code}; Max-Age=${maxAge}; Path=/; SameSite=Lax${secure}`;
}

// referralCode returns the captured code, or null.
export function referralCode() {
  captureRef(); // an SPA may have navigated to a ?ref= URL since the script loaded
  for (const part of document.cookie.split(";")) {
    const [name, value] = part.trim().split("=");
    if (name === cookieName && codePattern.test(value || "")) return value;
  }
  return null;
}
