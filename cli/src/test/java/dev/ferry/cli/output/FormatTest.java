package dev.ferry.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ferry.messages.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each -f format of a record and of a list, and -c, as the OpenStack client (cliff) prints them. */
class FormatTest {
    private static final String ID = "6fbdab8a-5a4e-4c1b-9f1e-0b6a8e1f2c3d";

    private static Listing record() {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("created_at", TextNode.valueOf("2026-12-06T19:49:25.000000"));
        fields.put("description", NullNode.instance);
        fields.put("id", TextNode.valueOf(ID));
        fields.put("is_public", BooleanNode.FALSE);
        fields.put("name", TextNode.valueOf("nightly"));
        fields.put("size", IntNode.valueOf(10));
        return Listing.record(fields);
    }

    private static Listing list() {
        return Listing.list(List.of("ID", "Name", "Size", "Status"), List.of(
                List.of(TextNode.valueOf(ID), TextNode.valueOf("docs"), IntNode.valueOf(10),
                        TextNode.valueOf("available")),
                List.of(TextNode.valueOf("b2"), TextNode.valueOf("say \"hi\", then"), IntNode.valueOf(2),
                        TextNode.valueOf("error"))));
    }

    private static String print(Format format, Listing listing) {
        StringWriter text = new StringWriter();
        format.print(listing, new PrintWriter(text));
        return text.toString();
    }

    @Test
    void aRecordAsATableIsFieldAndValue() {
        assertEquals("""
                +-------------+--------------------------------------+
                | Field       | Value                                |
                +-------------+--------------------------------------+
                | created_at  | 2026-12-06T19:49:25.000000           |
                | description | None                                 |
                | id          | 6fbdab8a-5a4e-4c1b-9f1e-0b6a8e1f2c3d |
                | is_public   | False                                |
                | name        | nightly                              |
                | size        | 10                                   |
                +-------------+--------------------------------------+
                """, print(Format.TABLE, record()));
    }

    @Test
    void aListAsATableHasAColumnPerFieldWithNumbersOnTheRight() {
        assertEquals("""
                +--------------------------------------+----------------+------+-----------+
                | ID                                   | Name           | Size | Status    |
                +--------------------------------------+----------------+------+-----------+
                | 6fbdab8a-5a4e-4c1b-9f1e-0b6a8e1f2c3d | docs           |   10 | available |
                | b2                                   | say "hi", then |    2 | error     |
                +--------------------------------------+----------------+------+-----------+
                """, print(Format.TABLE, list()));
        assertEquals("", print(Format.TABLE, Listing.list(List.of("ID"), List.of())), "an empty list prints nothing");
    }

    @Test
    void jsonIsOneFlatObjectForARecordAndAnArrayOfRowObjectsForAList() throws Exception {
        assertEquals("""
                {
                  "created_at": "2026-12-06T19:49:25.000000",
                  "description": null,
                  "id": "6fbdab8a-5a4e-4c1b-9f1e-0b6a8e1f2c3d",
                  "is_public": false,
                  "name": "nightly",
                  "size": 10
                }
                """, print(Format.JSON, record()));
        String list = print(Format.JSON, list());
        assertEquals("""
                [
                  {
                    "ID": "6fbdab8a-5a4e-4c1b-9f1e-0b6a8e1f2c3d",
                    "Name": "docs",
                    "Size": 10,
                    "Status": "available"
                  },
                  {
                    "ID": "b2",
                    "Name": "say \\"hi\\", then",
                    "Size": 2,
                    "Status": "error"
                  }
                ]
                """, list);
        assertEquals("say \"hi\", then", Json.parse(list).get(1).get("Name").asText());
        assertEquals("[]\n", print(Format.JSON, Listing.list(List.of("ID"), List.of())));
    }

    @Test
    void valueIsOneValuePerLineForARecordAndOneRowPerLineForAList() {
        assertEquals("2026-12-06T19:49:25.000000\nNone\n" + ID + "\nFalse\nnightly\n10\n",
                print(Format.VALUE, record()));
        assertEquals(ID + " docs 10 available\nb2 say \"hi\", then 2 error\n", print(Format.VALUE, list()));
    }

    @Test
    void yamlIsWhatPyYamlsSafeDumpWrites() {
        assertEquals("""
                created_at: '2026-12-06T19:49:25.000000'
                description: null
                id: 6fbdab8a-5a4e-4c1b-9f1e-0b6a8e1f2c3d
                is_public: false
                name: nightly
                size: 10
                """, print(Format.YAML, record()));
        assertEquals("""
                - ID: 6fbdab8a-5a4e-4c1b-9f1e-0b6a8e1f2c3d
                  Name: docs
                  Size: 10
                  Status: available
                - ID: b2
                  Name: 'say "hi", then'
                  Size: 2
                  Status: error
                """, print(Format.YAML, list()));
    }

    @Test
    void csvHasAQuotedHeaderRowAndQuotesTextButNotNumbers() {
        assertEquals("\"ID\",\"Name\",\"Size\",\"Status\"\n"
                + "\"" + ID + "\",\"docs\",10,\"available\"\n"
                + "\"b2\",\"say \"\"hi\"\", then\",2,\"error\"\n", print(Format.CSV, list()));
        assertEquals("\"created_at\",\"description\",\"id\",\"is_public\",\"name\",\"size\"\n"
                + "\"2026-12-06T19:49:25.000000\",\"\",\"" + ID + "\",False,\"nightly\",10\n",
                print(Format.CSV, record()));
    }

    @Test
    void columnsKeepOnlyTheNamedOnesInTheListingsOrder() {
        assertEquals("docs available\nsay \"hi\", then error\n",
                print(Format.VALUE, list().select(List.of("Status", "Name"))));
        assertEquals("nightly\n", print(Format.VALUE, record().select(List.of("name"))));
        assertEquals("{\n  \"id\": \"" + ID + "\"\n}\n", print(Format.JSON, record().select(List.of("id"))));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> list().select(List.of("Name", "Colour")));
        assertEquals("no column 'Colour'; the columns are ID, Name, Size, Status", unknown.getMessage());
    }

    @Test
    void anUnknownFormatNamesTheKnownOnes() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Format.named("xml"));
        assertTrue(unknown.getMessage().contains("table|json|value|yaml|csv"), unknown.getMessage());
    }
}
