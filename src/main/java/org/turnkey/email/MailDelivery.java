package org.turnkey.email;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The outbox's transactions, each short and separate from the SMTP conversation: claim due
 * messages, then mark each sent (delete) or failed (schedule the next attempt).
 */
@ApplicationScoped
public class MailDelivery {

    static final int BATCH = 20;

    /** A claimed message is not claimed again for this long (a crashed sender's claim runs out). */
    static final long CLAIM_MS = 120_000;

    /** Back-off cap: at most this many retry intervals between attempts. */
    static final long MAX_BACKOFF = 16;

    private static final Logger LOG = Logger.getLogger(MailDelivery.class.getName());

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    MailSettings settings;

    /** Deletes expired messages, then claims up to {@link #BATCH} due ones for this instance. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<OutboxMail> claimDue() {
        long now = clock.millis();
        List<OutboxMail> expired = em.createQuery("SELECT m FROM OutboxMail m WHERE m.expiresTs <= :now", OutboxMail.class)
                .setParameter("now", now).setMaxResults(BATCH).getResultList();
        for (OutboxMail mail : expired) {
            LOG.warning(() -> "Gave up sending mail " + mail.id() + " to an address at " + Emails.domainOf(mail.recipient())
                    + " after " + mail.attempts() + " attempts: its link has expired");
            em.remove(mail);
        }
        List<OutboxMail> due = em.createQuery(
                        "SELECT m FROM OutboxMail m WHERE m.nextAttemptTs <= :now ORDER BY m.nextAttemptTs", OutboxMail.class)
                .setParameter("now", now).setMaxResults(BATCH).getResultList();
        List<OutboxMail> claimed = new ArrayList<>();
        for (OutboxMail mail : due) {
            int updated = em.createQuery("UPDATE OutboxMail m SET m.nextAttemptTs = :claim, m.attempts = m.attempts + 1"
                            + " WHERE m.id = :id AND m.nextAttemptTs = :seen")
                    .setParameter("claim", now + CLAIM_MS).setParameter("id", mail.id())
                    .setParameter("seen", mail.nextAttemptTs()).executeUpdate();
            if (updated == 1) {
                em.detach(mail);
                claimed.add(new Claimed(mail).copy());
            }
        }
        return claimed;
    }

    /** Deletes a sent message. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void sent(String id) {
        em.createQuery("DELETE FROM OutboxMail m WHERE m.id = :id").setParameter("id", id).executeUpdate();
    }

    /** Schedules the next attempt after a failed one; returns the delay in milliseconds. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long failed(String id, int attempts) {
        long interval = settings.retryInterval().toMillis();
        long delay = interval * Math.min(MAX_BACKOFF, 1L << Math.min(Math.max(attempts - 1, 0), 10));
        em.createQuery("UPDATE OutboxMail m SET m.nextAttemptTs = :next WHERE m.id = :id")
                .setParameter("next", clock.millis() + delay).setParameter("id", id).executeUpdate();
        return delay;
    }

    /** The claimed message, with the attempt the claim counted. */
    private record Claimed(OutboxMail mail) {
        OutboxMail copy() {
            OutboxMail copy = new OutboxMail(mail.id(), mail.recipient(), mail.subject(), mail.body(), mail.nextAttemptTs(),
                    mail.expiresTs());
            copy.attempts(mail.attempts() + 1);
            return copy;
        }
    }
}
