/** Cloudflare Origin CA client: issue, list, revoke and renew origin certificates. */
module dev.ingresskit.originca {
}
