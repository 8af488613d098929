package dev.ferry.api.jobs.kinds;

import dev.ferry.messages.FailureDetail;

/** A user message of level INFO that a job's success leaves ({@code where}), with its detail (913: sound). */
public record InfoNotice(Notice where, FailureDetail detail) {
}
