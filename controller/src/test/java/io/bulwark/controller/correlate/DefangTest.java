package io.bulwark.controller.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DefangTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http://evil.example/a.php|hxxp://evil[.]example/a[.]php",
      "HTTPS://evil.example|HXXPS://evil[.]example",
      "198.51.100.7|198.51.100[.]7",
      "evil.example|evil[.]example",
      "www.evil.example|www.evil[.]example",
      "end of sentence. Next|end of sentence. Next",
      "2001:db8::1|2001:db8::1",
      "hxxp://evil[.]example|hxxp://evil[.]example"})
  void text_defangsSchemesAndDots(String in, String out) {
    assertEquals(out, Defang.text(in));
    assertEquals(out, Defang.text(Defang.text(in)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "a\u0007b|a\\u0007b",
      "x\u202ey|x\\u202ey"})
  void text_escapesControlAndBidiCharacters(String in, String out) {
    assertEquals(out, Defang.text(in));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "hxxp://evil[.]example/x|http://evil.example/x",
      "198.51.100[.]7|198.51.100.7",
      " evil(.)example |evil.example"})
  void refang_undoesDefanging(String in, String out) {
    assertEquals(out, Defang.refang(in));
  }
}
