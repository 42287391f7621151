package io.forceflux.examples.webflux;

import io.forceflux.reactor.client.Query;
import io.forceflux.reactor.client.SalesforceClient;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /accounts}: every Account as newline-delimited JSON, streamed as Salesforce pages arrive (a page is
 * fetched when the HTTP client has read the previous one). {@code POST /accounts}: creates one.
 */
@RestController
class AccountsController {
  /** Resumable: if the query cursor is lost when a session dies, the stream continues after the last Id sent. */
  private static final Query ALL = Query.of("SELECT Id, Name FROM Account ORDER BY Id").resumable(true);

  private final SalesforceClient salesforce;

  AccountsController(SalesforceClient salesforce) {
    this.salesforce = salesforce;
  }

  @GetMapping(path = "/accounts", produces = MediaType.APPLICATION_NDJSON_VALUE)
  Flux<Account> accounts() {
    return salesforce.query(ALL, Account.class);
  }

  @PostMapping(path = "/accounts", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ResponseEntity<Account>> create(@RequestBody NewAccount account) {
    if (account.name() == null || account.name().isBlank()) {
      return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "name is required"));
    }
    return salesforce.create("Account", Map.of("Name", account.name()))
        .map(saved -> ResponseEntity.created(URI.create("/accounts/" + saved.id()))
            .body(new Account(saved.id(), account.name())));
  }

  /** An Account as this service shows it. */
  record Account(@Nullable String id, String name) {}

  /** The body of {@code POST /accounts}. */
  record NewAccount(@Nullable String name) {}
}
