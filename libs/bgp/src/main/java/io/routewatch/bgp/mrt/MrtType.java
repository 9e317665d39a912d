package io.routewatch.bgp.mrt;

/**
 * MRT type and subtype codes (RFC 6396 §4, RFC 8050 §4, and the deprecated types of RFC 6396
 * appendix B).
 */
public final class MrtType {
  private MrtType() {}

  /** Deprecated MRT type 5 "BGP" (RFC 6396 appendix B.2.2); still in 1999–2001 RIS files. */
  public static final int BGP = 5;

  public static final int TABLE_DUMP = 12;
  public static final int TABLE_DUMP_V2 = 13;
  public static final int BGP4MP = 16;
  public static final int BGP4MP_ET = 17;

  // type 5 subtypes (RFC 6396 B.2.2)
  public static final int BGP_NULL = 0,
      BGP_UPDATE = 1,
      BGP_PREF_UPDATE = 2,
      BGP_STATE_CHANGE = 3,
      BGP_SYNC = 4,
      BGP_OPEN = 5,
      BGP_NOTIFY = 6,
      BGP_KEEPALIVE = 7;

  // TABLE_DUMP subtypes are the AFI (RFC 6396 §4.2); 3 and 4 are the 4-byte-AS variants some
  // collectors wrote before TABLE_DUMP_V2 existed (bgpdump reads them).
  public static final int TD_AFI_IPV4 = 1,
      TD_AFI_IPV6 = 2,
      TD_AFI_IPV4_AS4 = 3,
      TD_AFI_IPV6_AS4 = 4;

  // TABLE_DUMP_V2 subtypes (RFC 6396 §4.3, RFC 8050 §4)
  public static final int PEER_INDEX_TABLE = 1,
      RIB_IPV4_UNICAST = 2,
      RIB_IPV4_MULTICAST = 3,
      RIB_IPV6_UNICAST = 4,
      RIB_IPV6_MULTICAST = 5,
      RIB_GENERIC = 6,
      RIB_IPV4_UNICAST_ADDPATH = 8,
      RIB_IPV4_MULTICAST_ADDPATH = 9,
      RIB_IPV6_UNICAST_ADDPATH = 10,
      RIB_IPV6_MULTICAST_ADDPATH = 11,
      RIB_GENERIC_ADDPATH = 12;

  // BGP4MP / BGP4MP_ET subtypes (RFC 6396 §4.4, RFC 8050 §3)
  public static final int STATE_CHANGE = 0,
      MESSAGE = 1,
      ENTRY = 2,
      SNAPSHOT = 3,
      MESSAGE_AS4 = 4,
      STATE_CHANGE_AS4 = 5,
      MESSAGE_LOCAL = 6,
      MESSAGE_AS4_LOCAL = 7,
      MESSAGE_ADDPATH = 8,
      MESSAGE_AS4_ADDPATH = 9,
      MESSAGE_LOCAL_ADDPATH = 10,
      MESSAGE_AS4_LOCAL_ADDPATH = 11;

  public static boolean isBgp4mp(int type) {
    return type == BGP4MP || type == BGP4MP_ET;
  }

  public static boolean isBgp4mpMessage(int subtype) {
    return subtype == MESSAGE
        || (subtype >= MESSAGE_AS4
            && subtype <= MESSAGE_AS4_LOCAL_ADDPATH
            && subtype != STATE_CHANGE_AS4);
  }

  public static boolean bgp4mpAs4(int subtype) {
    return subtype == MESSAGE_AS4
        || subtype == MESSAGE_AS4_LOCAL
        || subtype == MESSAGE_AS4_ADDPATH
        || subtype == MESSAGE_AS4_LOCAL_ADDPATH
        || subtype == STATE_CHANGE_AS4;
  }

  public static boolean bgp4mpLocal(int subtype) {
    return subtype == MESSAGE_LOCAL
        || subtype == MESSAGE_AS4_LOCAL
        || subtype == MESSAGE_LOCAL_ADDPATH
        || subtype == MESSAGE_AS4_LOCAL_ADDPATH;
  }

  public static boolean bgp4mpAddPath(int subtype) {
    return subtype >= MESSAGE_ADDPATH && subtype <= MESSAGE_AS4_LOCAL_ADDPATH;
  }

  public static boolean ribAddPath(int subtype) {
    return subtype >= RIB_IPV4_UNICAST_ADDPATH && subtype <= RIB_GENERIC_ADDPATH;
  }

  public static String name(int type, int subtype) {
    return name(type) + "/" + subtype;
  }

  /** The type's name for the types this codec reads, else its code. */
  public static String name(int type) {
    return switch (type) {
      case BGP -> "BGP";
      case TABLE_DUMP -> "TABLE_DUMP";
      case TABLE_DUMP_V2 -> "TABLE_DUMP_V2";
      case BGP4MP -> "BGP4MP";
      case BGP4MP_ET -> "BGP4MP_ET";
      default -> Integer.toString(type);
    };
  }

  /**
   * True for the type codes RFC 6396 §4 and its deprecated-types appendix define (IANA "MRT
   * Types"): 0-13 (NULL … TABLE_DUMP_V2), 16-17 (BGP4MP, _ET), 32-33 (ISIS, _ET), 48-49 (OSPFv3,
   * _ET). Error texts quote a type code only when it is one of these: any other is as likely two
   * bytes of a file that is not MRT at all.
   */
  public static boolean isDefined(int type) {
    return (type >= 0 && type <= 13)
        || type == 16
        || type == 17
        || type == 32
        || type == 33
        || type == 48
        || type == 49;
  }
}
