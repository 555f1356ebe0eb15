package org.turnkey.email;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.turnkey.token.Tokens;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The outbox: a message is a row written in the caller's transaction, sent by a managed executor
 * once that transaction commits (no request thread waits for SMTP, and nothing is sent for a
 * transaction that rolls back), and retried by a managed scheduled executor every
 * {@code turnkey.mail.retry-interval} (backing off up to 16 intervals) until it is sent or
 * expires. Several instances share the table: each message is claimed (a conditional UPDATE)
 * before it is sent. Log lines name the message id and the recipient's domain, never the body,
 * which carries the token.
 */
@ApplicationScoped
public class MailOutbox {

    private static final Logger LOG = Logger.getLogger(MailOutbox.class.getName());

    /** Fired inside the enqueuing transaction; observed after it commits. */
    public record Queued() {
    }

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    MailSettings settings;

    @Inject
    MailDelivery delivery;

    @Inject
    Clock clock;

    @Inject
    Event<Queued> queued;

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile SmtpTransport transport;
    private volatile ScheduledFuture<?> retries;

    /** Queues a message in the caller's transaction; it is sent after that transaction commits. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String recipient, String subject, String body, long expiresTs) {
        em.persist(new OutboxMail(Tokens.randomString(18), recipient, subject, body, clock.millis(), expiresTs));
        queued.fire(new Queued());
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Queued event) {
        try {
            executor.execute(this::deliverDue);
        } catch (RuntimeException e) {
            // The class only: a database exception's text can carry the statement the outbox row
            // (and its link) went into.
            LOG.log(Level.WARNING, "Mail queued; the retry run will send it ({0})", e.getClass().getName());
        }
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (settings.enabled()) {
            long interval = settings.retryInterval().toMillis();
            retries = scheduler.scheduleWithFixedDelay(this::deliverDue, interval, interval, TimeUnit.MILLISECONDS);
            LOG.info(() -> "Mail is on: sender " + settings.from() + (settings.sessionJndiName().isPresent()
                    ? ", mail session " + settings.sessionJndiName().get()
                    : ", SMTP " + settings.host() + ":" + settings.port() + " (" + settings.security().name().toLowerCase() + ")"));
        }
    }

    @PreDestroy
    void stop() {
        ScheduledFuture<?> r = retries;
        if (r != null) {
            r.cancel(false);
        }
    }

    /** Sends every due message; one run at a time per instance (a run asked for meanwhile runs again). */
    void deliverDue() {
        if (!settings.enabled()) {
            return;
        }
        again.set(true);
        while (again.getAndSet(false)) {
            if (!running.compareAndSet(false, true)) {
                again.set(true);
                return;
            }
            try {
                List<OutboxMail> due = delivery.claimDue();
                for (OutboxMail mail : due) {
                    send(mail);
                }
                if (due.size() == MailDelivery.BATCH) {
                    again.set(true);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Mail delivery run failed; it runs again in {0}: {1}",
                        new Object[]{settings.retryInterval(), e.getClass().getName()});
            } finally {
                running.set(false);
            }
        }
    }

    private void send(OutboxMail mail) {
        String domain = Emails.domainOf(mail.recipient());
        try {
            transport().send(mail.recipient(), mail.subject(), mail.body());
            delivery.sent(mail.id());
            LOG.info(() -> "Sent mail " + mail.id() + " to an address at " + domain);
        } catch (Exception e) {
            long retryIn = delivery.failed(mail.id(), mail.attempts());
            LOG.log(Level.WARNING, "Sending mail {0} to an address at {1} failed (attempt {2}); retrying in {3} s: {4}",
                    new Object[]{mail.id(), domain, mail.attempts(), retryIn / 1000, e.toString()});
        }
    }

    private SmtpTransport transport() {
        SmtpTransport t = transport;
        if (t == null) {
            t = new SmtpTransport(settings);
            transport = t;
        }
        return t;
    }
}
