package io.routewatch.alert.pipeline;

import io.routewatch.proto.v1.Upstream;
import java.util.List;

/**
 * State's answer for a watched network on first sight: its present upstreams (GetUpstreams) and the
 * journal position the answer is at least as new as.
 *
 * @param upstreams upstreams with at least one VP path now, by state's figures
 * @param country the network's country when state named one ("" when not)
 * @param timeMicros event time of the answer: the latest route change state had seen for the
 *     network (its baseline period counts from it)
 * @param journalSequence state's last change sequence, read after the answer: the seed is
 *     consistent with the change stream once everything up to it has been handled
 */
public record StateSeed(
    List<Upstream> upstreams, String country, long timeMicros, long journalSequence) {}
