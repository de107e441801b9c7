/** How long an e-mail sign-in link (and the sign-up it confirms) works; next-auth, the adapter and the mail texts read it. */
export const MAGIC_LINK_TTL_MINUTES = 15;
