package org.r1wb.pipeline.clean;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.r1wb.pipeline.clean.PiiScrubber.Kind;

class PiiScrubberTest {

    private final PiiScrubber scrubber = new PiiScrubber();

    @Test
    void replacesEachKindAndCountsIt() {
        PiiScrubber.Result r = scrubber.scrub("Mail jane.doe+ml@example.co.uk or bob@mail.example.org, "
                + "call +44 20 7946 0958 or (555) 123-4567, server 192.168.1.20 and 2001:db8::8a2e:370:7334.");
        assertThat(r.text()).isEqualTo("Mail <EMAIL> or <EMAIL>, call <PHONE> or <PHONE>, server <IP> and <IP>.");
        assertThat(r.counts()).isEqualTo(Map.of(Kind.EMAIL, 2, Kind.PHONE, 2, Kind.IPV4, 1, Kind.IPV6, 1));
    }

    @Test
    void fullAndLoopbackIpv6Forms() {
        assertThat(scrubber.scrub("a fe80:0000:0000:0000:0202:b3ff:fe1e:8329 b ::1 c").text())
                .isEqualTo("a <IP> b <IP> c");
    }

    @Test
    void leavesLookalikesAlone() {
        String text = "Released 2024-01-15 as v1.2.3.4.5 at 12:30:45; std::vector<int> costs $1,234,567; "
                + "see RFC 1918, call ext. 1234, 3.14159, user@localhost, 300.1.2.3, 100 200 300";
        PiiScrubber.Result r = scrubber.scrub(text);
        assertThat(r.text()).isEqualTo(text);
        assertThat(r.counts()).isEmpty();
    }

    @Test
    void northAmericanShapes() {
        assertThat(scrubber.scrub("555-123-4567 / 555.123.4567 / 555 123 4567 / +1-555-123-4567").text())
                .isEqualTo("<PHONE> / <PHONE> / <PHONE> / <PHONE>");
    }
}
