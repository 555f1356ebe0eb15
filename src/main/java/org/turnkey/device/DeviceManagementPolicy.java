package org.turnkey.device;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.token.Tokens;
import org.turnkey.uia.UiaService;

import java.util.List;
import java.util.TreeSet;

/**
 * The device management API (spec "Device management"): a user sees and renames only their own
 * devices; deleting needs user-interactive auth bound to exactly the devices named, and goes
 * through {@link DeviceService#delete}, which drops the devices' tokens from the cache and
 * the database together.
 */
@ApplicationScoped
public class DeviceManagementPolicy {

    static final List<List<String>> DELETE_FLOWS = List.of(List.of(UiaService.PASSWORD));

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    DeviceService devices;

    @Inject
    UiaService uia;

    @Inject
    DeviceActivity activity;

    @Inject
    SecurityEvents events;

    public List<Device> list(String userId) {
        return devices.list(userId);
    }

    /** The user's device, or 404 {@code M_NOT_FOUND}. */
    public Device get(String userId, String deviceId) {
        activity.writePending();
        Device device = em.find(Device.class, new Device.Key(userId, deviceId));
        if (device == null || device.hidden()) {
            throw MatrixException.notFound("Unknown device");
        }
        return device;
    }

    @Transactional
    public void rename(String userId, String deviceId, JsonBody body) {
        Device device = get(userId, deviceId);
        if (body.has("display_name")) {
            String name = body.requireString("display_name");
            DeviceService.checkDisplayName(name);
            device.displayName(name);
        }
    }

    /**
     * Deletes devices after user-interactive auth. The UIA operation names the devices, so a
     * session started for one set of devices cannot authorise deleting another.
     */
    public void delete(String userId, String requesterDeviceId, List<String> deviceIds, String operation, JsonBody body) {
        uia.require(operation, userId, body, DELETE_FLOWS);
        int deleted = devices.delete(userId, deviceIds);
        events.devicesDeleted(userId, requesterDeviceId, deleted);
    }

    /** The UIA operation of {@code POST /delete_devices}: path plus a digest of the device set. */
    static String bulkOperation(List<String> deviceIds) {
        return "POST /_matrix/client/v3/delete_devices " + Tokens.hash(String.join("\n", new TreeSet<>(deviceIds)));
    }

    /**
     * The UIA operation of {@code DELETE /devices/{deviceId}}: path plus a digest of the ID, so
     * that an ID of any length (the path is the client's) fits the session's operation column.
     */
    static String singleOperation(String deviceId) {
        return "DELETE /_matrix/client/v3/devices/ " + Tokens.hash(deviceId);
    }
}
