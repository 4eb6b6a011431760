package io.bulwark.rules.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlTermTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "HTTP://Evil.Example:80/Path|http://evil.example/Path",
        "https://evil.example:443|https://evil.example/",
        "https://evil.example:8443/x|https://evil.example:8443/x",
        "http://evil.example/a%7e%2fb%2F|http://evil.example/a~%2Fb%2F",
        "http://evil.example/a b\"<>|http://evil.example/a%20b%22%3C%3E",
        "http://evil.example/x?q=1#frag|http://evil.example/x?q=1",
        "http://evil.example?q|http://evil.example/?q",
        "http://192.0.2.1:8080/|http://192.0.2.1:8080/",
        "http://[2001:DB8::1]/x|http://[2001:db8::1]/x",
        "http://bücher.example/ü|http://xn--bcher-kva.example/%C3%BC",
        "http://evil.example/{x};'|http://evil.example/%7Bx%7D;'"
      })
  void parse_validUrl_isNormalised(String text, String expected) {
    assertEquals(expected, valid(text).toString());
  }

  @Test
  void parse_url_keepsHostAndPathAndQuerySeparately() {
    UrlTerm url = valid("https://Evil.Example:8443/a/b?c=d");

    assertEquals("evil.example", url.hostName());
    assertEquals(new DomainTerm("evil.example"), url.host());
    assertEquals(8443, url.effectivePort());
    assertEquals("/a/b", url.path());
    assertEquals("c=d", url.query());
    assertEquals("/a/b?c=d", url.pathAndQuery());
  }

  @Test
  void parse_urlWithoutQuery_hasNullQuery() {
    assertNull(valid("http://evil.example/a").query());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "evil.example/path",
        "ftp://evil.example/",
        "javascript://alert(1)",
        "http://user:pw@evil.example/",
        "http:///path",
        "http://evil.example:0/",
        "http://evil.example:65536/",
        "http://evil.example:/",
        "http://evil.example:8o/",
        "http://999.1.1.1/",
        "http://[192.0.2.1]/",
        "http://[2001:db8::1/",
        "http://evil.example/%zz",
        "http://evil.example/%4",
        "http://evil.example/a\nb",
        "http://evil.example/a\u0000",
        "http://evil;example/",
        "http://evil example/"
      })
  void parse_hostileOrMalformed_isInvalid(String text) {
    assertInstanceOf(TermParse.Invalid.class, UrlTerm.parse(text));
  }

  @Test
  void parse_longerThanLimit_isInvalid() {
    String text = "http://evil.example/" + "a".repeat(UrlTerm.MAX_LENGTH);
    TermParse<UrlTerm> parsed = UrlTerm.parse(text);
    assertEquals(
        "URL is longer than 8192 characters (8212)",
        ((TermParse.Invalid<UrlTerm>) parsed).reason());
  }

  private static UrlTerm valid(String text) {
    TermParse<UrlTerm> parsed = UrlTerm.parse(text);
    if (parsed instanceof TermParse.Invalid<UrlTerm> invalid) {
      throw new AssertionError(text + ": " + invalid.reason());
    }
    return ((TermParse.Valid<UrlTerm>) parsed).term();
  }
}
