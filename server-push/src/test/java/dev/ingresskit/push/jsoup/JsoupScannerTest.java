package dev.ingresskit.push.jsoup;

import dev.ingresskit.push.ResourceScanner;
import dev.ingresskit.push.ResourceScannerContract;

class JsoupScannerTest extends ResourceScannerContract {
    @Override
    protected ResourceScanner newInstance() {
        return new JsoupScanner();
    }
}
