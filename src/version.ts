/** The gateway's version, as package.json says (shown on /status, sent in traces). */
export const VERSION = '3.0.0';
