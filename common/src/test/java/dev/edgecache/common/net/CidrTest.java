package dev.edgecache.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {
    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal); // test literals only: no lookup
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8, 10.255.1.2, true",
        "10.0.0.0/8, 11.0.0.1, false",
        "192.168.1.0/24, 192.168.1.255, true",
        "192.168.1.0/24, 192.168.2.0, false",
        "172.16.0.0/12, 172.31.255.255, true",
        "172.16.0.0/12, 172.32.0.0, false",
        "203.0.113.7, 203.0.113.7, true",
        "203.0.113.7, 203.0.113.8, false",
        "0.0.0.0/0, 8.8.8.8, true",
        "0.0.0.0/0, ::1, false",
        "2001:db8::/32, 2001:db8:ffff::1, true",
        "2001:db8::/32, 2001:db9::1, false",
        "::1, ::1, true",
        "::1/128, ::2, false",
        "fe80::/10, febf::1, true",
        "fe80::/10, fec0::1, false",
        "10.0.0.0/8, ::ffff:10.1.2.3, true",
        "::ffff:10.0.0.0/104, 10.1.2.3, true",
        "::/0, 10.0.0.1, false",
    })
    void matchesAddressesInTheBlockOnly(String cidr, String address, boolean expected) throws UnknownHostException {
        assertThat(Cidr.parse(cidr).contains(ip(address))).isEqualTo(expected);
    }

    @Test
    void aBareAddressIsABlockOfOne() {
        assertThat(Cidr.parse("127.0.0.1").prefixLength()).isEqualTo(32);
        assertThat(Cidr.parse("::1").prefixLength()).isEqualTo(128);
        assertThat(Cidr.parse(" 10.0.0.0/8 ")).hasToString("10.0.0.0/8").isEqualTo(Cidr.parse("10.0.0.0/8"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "localhost|is not an IP address",
                "example.com/24|is not an IP address",
                "10.0.0/8|is not an IP address",
                "256.0.0.1|is not an IP address",
                "010.0.0.1|is not an IP address",
                "10.0.0.0/33|prefix length must be a number from 0 to 32",
                "10.0.0.0/-1|prefix length must be a number from 0 to 32",
                "10.0.0.0/|prefix length must be a number from 0 to 32",
                "::/129|prefix length must be a number from 0 to 128",
                "10.1.2.3/8|has host bits set; did you mean '10.0.0.0/8'?",
                "2001:db8::1/32|has host bits set; did you mean '2001:db8:0:0:0:0:0:0/32'?",
                "1:2:3|is not a valid IP address",
                "fe80::1%eth0|is not an IP address",
                "''|is not an IP address",
            })
    void badBlocksSayWhatIsWrong(String text, String message) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aSetNamesTheIndexOfItsFirstBadEntry() throws UnknownHostException {
        CidrSet set = CidrSet.parse(List.of("10.0.0.0/8", "2001:db8::/32"));
        assertThat(set.contains(ip("10.9.9.9"))).isTrue();
        assertThat(set.contains(ip("2001:db8::5"))).isTrue();
        assertThat(set.contains(ip("127.0.0.1"))).isFalse();
        assertThat(CidrSet.EMPTY.contains(ip("127.0.0.1"))).isFalse();
        assertThatThrownBy(() -> CidrSet.parse(List.of("10.0.0.0/8", "nope")))
                .isInstanceOfSatisfying(
                        CidrSet.InvalidCidrException.class,
                        e -> assertThat(e.index()).isEqualTo(1));
    }
}
