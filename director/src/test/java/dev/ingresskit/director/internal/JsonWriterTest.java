package dev.ingresskit.director.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void placesCommasAcrossNestingAndEscapesPerRfc8259() {
        String json = new JsonWriter().beginObject()
                .field("s", "a\"b\\c\nd\u0001")
                .name("list").beginArray().value(1).value(true).value((String) null).beginObject().endObject().endArray()
                .name("u64").unsignedValue(-1L)
                .name("d").value(2.5)
                .name("i").value(3.0)
                .name("nan").value(Double.NaN)
                .endObject().toString();
        assertEquals("{\"s\":\"a\\\"b\\\\c\\nd\\u0001\",\"list\":[1,true,null,{}],\"u64\":18446744073709551615,"
                + "\"d\":2.5,\"i\":3,\"nan\":null}", json);
    }
}
