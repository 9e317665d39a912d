package io.routewatch.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/** --json output: the proto3 JSON mapping of the API's own messages (same as the REST mirrors). */
final class Json {
  private Json() {}

  static void print(MessageOrBuilder m) throws InvalidProtocolBufferException {
    System.out.println(JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(m));
  }
}
