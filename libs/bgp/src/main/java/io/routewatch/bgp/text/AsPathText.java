package io.routewatch.bgp.text;

import java.util.Arrays;

/**
 * bgpdump's AS_PATH text: sequences space-separated, AS_SET as "{a,b}", AS_CONFED_SET as "[a b]"
 * and AS_CONFED_SEQUENCE as "(a b)"; a malformed path prints "! Error !"; text longer than ~7900
 * characters is cut with "...". The path count (sets count one) drives the AS4_PATH merge.
 */
final class AsPathText {
  private static final int MAX = 8000;
  private static final byte[] ERROR = "! Error !".getBytes();

  byte[] text = new byte[256];
  int textLen;
  boolean present;
  private int count;
  // the 2-byte path kept for merging (as 4-byte words after expansion)
  private byte[] data;
  private int off, len, asnLen;
  private byte[] merged = new byte[256];

  void build(byte[] b, int off, int len, int asnLen, boolean flagged) {
    this.present = off >= 0 && flagged;
    this.data = b;
    this.off = off;
    this.len = len;
    this.asnLen = asnLen;
    textLen = 0;
    count = 0;
    if (off >= 0) count = render(b, off, len, asnLen);
  }

  /** Renders into text; returns the path count, 0 on error (bgpdump's aspath_error). */
  private int render(byte[] b, int off, int len, int asnLen) {
    textLen = 0;
    int cnt = 0;
    int end = off + len;
    int p = off;
    int type = 2;
    boolean space = false;
    int lastType = -1;
    while (p < end) {
      int segType = b[p] & 0xff;
      if (segType < 1 || segType > 4) return error();
      if (p + 1 >= end) return error();
      int segLen = b[p + 1] & 0xff;
      if (p + segLen * asnLen + 2 > end) return error();
      if (type != 2) put(delim(type, false));
      if (space) put(' ');
      if (segType != 2) put(delim(segType, true));
      space = false;
      cnt += (segType == 2 || segType == 3) ? segLen : 1;
      for (int i = 0; i < segLen; i++) {
        if (space) put(segType == 1 || segType == 4 ? ',' : ' ');
        else space = true;
        int q = p + 2 + i * asnLen;
        long asn =
            asnLen == 2
                ? ((b[q] & 0xff) << 8) | (b[q + 1] & 0xff)
                : io.routewatch.bgp.wire.ByteReader.getInt(b, q) & 0xffffffffL;
        putNum(asn);
        if (textLen > MAX - 100) {
          put('.');
          put('.');
          put('.');
          return cnt;
        }
      }
      type = segType;
      lastType = segType;
      p += segLen * asnLen + 2;
    }
    if (lastType > 0 && lastType != 2) put(delim(lastType, false));
    return cnt;
  }

  private int error() {
    textLen = 0;
    for (byte c : ERROR) put((char) c);
    return 0;
  }

  private static char delim(int type, boolean start) {
    return switch (type) {
      case 1 -> start ? '{' : '}';
      case 3 -> start ? '(' : ')';
      case 4 -> start ? '[' : ']';
      default -> ' ';
    };
  }

  private void put(char c) {
    if (textLen == text.length) text = Arrays.copyOf(text, text.length * 2);
    text[textLen++] = (byte) c;
  }

  private void putNum(long v) {
    if (textLen + 12 > text.length) text = Arrays.copyOf(text, text.length * 2 + 12);
    if (v == 0) {
      text[textLen++] = '0';
      return;
    }
    int s = textLen;
    while (v > 0) {
      text[textLen++] = (byte) ('0' + v % 10);
      v /= 10;
    }
    for (int i = s, j = textLen - 1; i < j; i++, j--) {
      byte t = text[i];
      text[i] = text[j];
      text[j] = t;
    }
  }

  /**
   * RFC 6793 §4.2.3 as bgpdump does it: if AS_PATH has at least as many ASes as AS4_PATH, keep the
   * leading (count(AS_PATH) - count(AS4_PATH)) ASes of AS_PATH and append AS4_PATH. bgpdump takes
   * those leading ASes from the first segment only (it never advances past it); we do the same so
   * the text matches, and document it in docs/codec.md.
   */
  void mergeAs4(byte[] b, int as4Off, int as4Len) {
    if (!present) return;
    AsPathText as4 = new AsPathText();
    as4.build(b, as4Off, as4Len, 4, true);
    int as4Count = as4.count;
    if (count < as4Count) return;
    int want = count - as4Count;
    int mlen = 0;
    int mcount = 0;
    int segType = len >= 1 ? data[off] & 0xff : 0;
    int segLen = len >= 2 ? data[off + 1] & 0xff : 0;
    while (mcount < want) {
      if (segLen == 0) break; // bgpdump would loop forever here
      int need = mlen + 2 + segLen * 4 + as4Len;
      if (merged.length < need) merged = Arrays.copyOf(merged, need * 2);
      merged[mlen] = (byte) segType;
      int n = segLen;
      if (segType == 1 || segType == 4) {
        mcount += 1;
      } else {
        mcount += segLen;
        if (mcount > want) {
          n -= mcount - want;
        }
      }
      merged[mlen + 1] = (byte) n;
      for (int i = 0; i < n; i++) {
        int q = off + 2 + i * asnLen;
        int asn =
            asnLen == 2
                ? ((data[q] & 0xff) << 8) | (data[q + 1] & 0xff)
                : io.routewatch.bgp.wire.ByteReader.getInt(data, q);
        int w = mlen + 2 + 4 * i;
        merged[w] = (byte) (asn >>> 24);
        merged[w + 1] = (byte) (asn >>> 16);
        merged[w + 2] = (byte) (asn >>> 8);
        merged[w + 3] = (byte) asn;
      }
      mlen += 2 + 4 * n;
    }
    if (merged.length < mlen + as4Len) merged = Arrays.copyOf(merged, mlen + as4Len);
    System.arraycopy(b, as4Off, merged, mlen, as4Len);
    mlen += as4Len;
    render(merged, 0, mlen, 4);
  }

  void writeTo(TextBuffer out) {
    if (present) out.bytes(text, 0, textLen);
  }

  /** TABLE_DUMP_V2 prints the path whenever one was parsed, flag or not. */
  void writeIfParsed(TextBuffer out) {
    if (off >= 0) out.bytes(text, 0, textLen);
  }
}
