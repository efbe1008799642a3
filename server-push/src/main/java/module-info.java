/** Link headers and 103 Early Hints generated from HTML. */
module dev.ingresskit.push {
}
