package io.routewatch.bgp.text;

import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.DecodeProblem;
import io.routewatch.bgp.mrt.MrtReader;
import io.routewatch.bgp.mrt.MrtRecord;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bgpdump -m} as a library call: {@code routewatch mrt dump FILE} is {@code
 * MrtDump.dump(file, System.out)}. Reads leniently: undecodable records are skipped and reported in
 * the returned {@link Result}, never printed half.
 */
public final class MrtDump {
  private static final int FLUSH_AT = 1 << 16;

  /** What happened: records read, lines written, and every problem met. */
  public record Result(long records, long lines, List<DecodeProblem> problems) {}

  private MrtDump() {}

  public static Result dump(Path file, OutputStream out) throws IOException {
    try (MrtReader reader = MrtReader.open(file, MrtReader.Mode.LENIENT)) {
      return dump(reader, out);
    }
  }

  public static Result dump(InputStream in, String sourceName, OutputStream out)
      throws IOException {
    try (MrtReader reader = MrtReader.open(in, sourceName, MrtReader.Mode.LENIENT)) {
      return dump(reader, out);
    }
  }

  /** For callers that want chars; slower than the OutputStream form. */
  public static Result dump(Path file, Appendable out) throws IOException {
    try (MrtReader reader = MrtReader.open(file, MrtReader.Mode.LENIENT)) {
      return dump(reader, new AppendableStream(out));
    }
  }

  /** Drives any reader (strict readers throw the first located error). */
  public static Result dump(MrtReader reader, OutputStream out) throws IOException {
    OutputStream os = out instanceof BufferedOutputStream ? out : out; // we buffer ourselves
    BgpdumpFormatter f = new BgpdumpFormatter();
    TextBuffer buf = new TextBuffer(FLUSH_AT + 4096);
    while (reader.hasNext()) {
      MrtRecord r = reader.next();
      try {
        f.format(r, buf);
      } catch (DecodeException e) {
        reader.report(r, e, DecodeProblem.Outcome.SKIPPED_RECORD);
      }
      if (buf.size() >= FLUSH_AT) buf.writeTo(os);
    }
    buf.writeTo(os);
    os.flush();
    return new Result(reader.recordCount(), buf.lines(), reader.problems());
  }

  private static final class AppendableStream extends OutputStream {
    private final Appendable a;

    AppendableStream(Appendable a) {
      this.a = a;
    }

    @Override
    public void write(int b) throws IOException {
      a.append((char) (b & 0xff));
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      for (int i = 0; i < len; i++) a.append((char) (b[off + i] & 0xff));
    }
  }
}
