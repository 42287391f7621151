package io.forceflux.testkit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Routes each HTTP request of a {@link FakeOrg} to its endpoint: counts it, applies the fault plan before and after
 * it runs, tracks API requests for the concurrent long-running limit, and writes the reply (or acts out a
 * transport fault) on the connection.
 */
final class FakeOrgDispatcher {

  private static final byte[] EMPTY = new byte[0];

  private final SimEndpoint sim;
  private final FakeTokenEndpoint token;
  private final RestEndpoint rest;
  private final SoapEndpoint soap;
  private final Faults faults;
  private final Counters counters;
  private final FakeConcurrency concurrency;

  FakeOrgDispatcher(SimEndpoint sim, FakeTokenEndpoint token, RestEndpoint rest, SoapEndpoint soap, Faults faults,
      Counters counters, FakeConcurrency concurrency) {
    this.sim = sim;
    this.token = token;
    this.rest = rest;
    this.soap = soap;
    this.faults = faults;
    this.counters = counters;
    this.concurrency = concurrency;
  }

  Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    return request.receive().aggregate().asByteArray().defaultIfEmpty(EMPTY)
        .flatMap(body -> dispatch(new Request(request.method().name(), request.uri(),
            request.requestHeaders(), body)))
        .onErrorResume(e -> {
          FakeOrg.LOG.warn("FakeOrg failed to handle {} {}", request.method(), request.path(), e);
          return Mono.just(Reply.json(500, Fault.UNKNOWN_EXCEPTION_BODY));
        })
        .flatMap(reply -> send(reply, response));
  }

  private Mono<Reply> dispatch(Request r) {
    String path = r.path;
    if (path.startsWith("/__sim/")) {
      return Mono.fromSupplier(() -> sim.handle(r));
    }
    FaultTarget target;
    if (path.startsWith("/services/oauth2/") || path.startsWith("/id/")) {
      target = FaultTarget.TOKEN;
      token.countArrival(r);
    } else if (path.equals("/services/data") || path.startsWith("/services/data/")
        || path.startsWith("/services/Soap/") || path.startsWith("/services/apexrest/")) {
      target = FaultTarget.API;
      counters.apiRequests.increment();
    } else {
      return Mono.just(RestBodies.notFound());
    }
    Mono<Reply> run = Mono.defer(() -> execute(r, target));
    Fault before = faults.pick(target, Phase.BEFORE);
    if (before != null) {
      counters.faultsInjected.increment();
      if (before.kind() != Fault.Kind.LATENCY) {
        return Mono.just(Reply.fault(before));
      }
      run = Mono.delay(before.latency()).then(run);
    }
    Mono<Reply> served = run.flatMap(reply -> afterExecution(reply, target));
    return target == FaultTarget.API ? concurrency.track(served) : served;
  }

  private Mono<Reply> execute(Request r, FaultTarget target) {
    if (target == FaultTarget.TOKEN) {
      return token.handle(r);
    }
    return Mono.fromSupplier(() -> r.path.startsWith("/services/Soap/") ? soap.handle(r) : rest.handle(r));
  }

  private Mono<Reply> afterExecution(Reply reply, FaultTarget target) {
    if (!reply.executed) {
      return Mono.just(reply);
    }
    Fault after = faults.pick(target, Phase.AFTER);
    if (after == null) {
      return Mono.just(reply);
    }
    counters.faultsInjected.increment();
    if (after.kind() == Fault.Kind.LATENCY) {
      return Mono.delay(after.latency()).thenReturn(reply);
    }
    return Mono.just(Reply.fault(after));
  }

  private static Mono<Void> send(Reply reply, HttpServerResponse response) {
    switch (reply.kind) {
      case CONNECTION_RESET -> {
        response.withConnection(connection -> {
          connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
          connection.channel().close();
        });
        return Mono.empty();
      }
      case TRUNCATED -> {
        response.status(reply.status);
        reply.headers.forEach(response::header);
        response.header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(reply.body.length * 4 + 64));
        // Headers through Reactor Netty, then part of the body straight onto the channel, then close.
        return response.sendHeaders().then().then(Mono.<Void>create(sink -> response.withConnection(c ->
            c.channel().writeAndFlush(Unpooled.wrappedBuffer(reply.body)).addListener(written -> {
              c.channel().close();
              sink.success();
            }))));
      }
      default -> {
        response.status(reply.status);
        reply.headers.forEach(response::header);
        if (reply.status == 204) {
          return response.send();
        }
        response.header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(reply.body.length));
        return reply.body.length == 0 ? response.send()
            : response.sendByteArray(Mono.just(reply.body)).then();
      }
    }
  }
}
