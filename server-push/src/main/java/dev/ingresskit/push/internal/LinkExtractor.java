package dev.ingresskit.push.internal;

import dev.ingresskit.push.ScanResult;

/** Connects the tokenizer (scanning mode, tree-builder emulation on) to the {@link ResourceRules}. */
public final class LinkExtractor implements Tokenizer.Sink {
    private final ResourceRules rules = new ResourceRules();
    private final Tokenizer tokenizer = new Tokenizer(this, false, true);

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public void reset() {
        tokenizer.reset();
        rules.reset();
    }

    public ScanResult finish() {
        tokenizer.finish();
        return rules.result();
    }

    @Override
    public void startTag(Tokenizer tag) {
        int id = tag.tagId();
        if (id != Names.UNKNOWN) {
            rules.startTag(id, tag);
        }
    }

    @Override
    public void endTag(Tokenizer tag) {
        int id = tag.tagId();
        if (id == Names.PICTURE || id == Names.TEMPLATE) {
            rules.endTag(id);
        }
    }
}
