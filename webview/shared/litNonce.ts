// Imported first: lets Lit put this page's script nonce on any <style> it has to create
// (browsers without constructable stylesheets), so the strict CSP needs no 'unsafe-inline'.
const script = document.currentScript as HTMLScriptElement | null;
if (script?.nonce) (globalThis as { litNonce?: string }).litNonce = script.nonce;
export {};
