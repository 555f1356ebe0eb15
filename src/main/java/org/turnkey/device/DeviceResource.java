package org.turnkey.device;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.auth.Authenticated;
import org.turnkey.auth.Requester;

import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
@Path("/_matrix/client/v3")
@Produces(MediaType.APPLICATION_JSON)
public class DeviceResource {

    @Inject
    Requester requester;

    @Inject
    DeviceManagementPolicy devices;

    /**
     * GET /_matrix/client/v3/devices — the requester's devices.
     * <ul>
     *   <li>{@code last_seen_ts} / {@code last_seen_ip} may be up to
     *       {@code turnkey.device.last-seen-interval} old</li>
     * </ul>
     */
    @GET
    @Path("/devices")
    @Authenticated
    public JsonObject list() {
        JsonArrayBuilder list = Jsons.createArrayBuilder();
        devices.list(requester.userId()).forEach(d -> list.add(d.toJson()));
        return Jsons.createObjectBuilder().add("devices", list).build();
    }

    /**
     * GET /_matrix/client/v3/devices/{deviceId} — one of the requester's devices.
     * <ul>
     *   <li>404 {@code M_NOT_FOUND} for a device the requester does not have</li>
     * </ul>
     */
    @GET
    @Path("/devices/{deviceId}")
    @Authenticated
    public JsonObject get(@PathParam("deviceId") String deviceId) {
        return devices.get(requester.userId(), deviceId).toJson();
    }

    /**
     * PUT /_matrix/client/v3/devices/{deviceId} — renames a device.
     * <ul>
     *   <li>{@code display_name} absent: unchanged</li>
     *   <li>404 {@code M_NOT_FOUND} for a device the requester does not have (only application
     *       services may create devices here)</li>
     * </ul>
     */
    @PUT
    @Path("/devices/{deviceId}")
    @Authenticated
    public JsonObject rename(@PathParam("deviceId") String deviceId, JsonObject body) {
        devices.rename(requester.userId(), deviceId, JsonBody.of(body));
        return JsonValue.EMPTY_JSON_OBJECT;
    }

    /**
     * DELETE /_matrix/client/v3/devices/{deviceId} — deletes a device after user-interactive auth.
     * <ul>
     *   <li>UIA flow {@code m.login.password}; the session only authorises this device</li>
     *   <li>the device's access and refresh tokens stop working at once (soft_logout false)</li>
     *   <li>200 also when the device had already gone, as the spec says</li>
     * </ul>
     */
    @DELETE
    @Path("/devices/{deviceId}")
    @Authenticated
    public JsonObject delete(@PathParam("deviceId") String deviceId, JsonObject body) {
        devices.delete(requester.userId(), requester.deviceId(), List.of(deviceId),
                DeviceManagementPolicy.singleOperation(deviceId), JsonBody.of(body));
        return JsonValue.EMPTY_JSON_OBJECT;
    }

    /**
     * POST /_matrix/client/v3/delete_devices — deletes several devices after user-interactive auth.
     * <ul>
     *   <li>{@code devices} required (400 {@code M_MISSING_PARAM} / {@code M_BAD_JSON})</li>
     *   <li>UIA flow {@code m.login.password}; the session only authorises this set of devices</li>
     *   <li>every named device's tokens stop working at once; unknown IDs are ignored</li>
     * </ul>
     */
    @POST
    @Path("/delete_devices")
    @Authenticated
    public JsonObject deleteMany(JsonObject body) {
        JsonBody parsed = JsonBody.of(body);
        List<String> ids = deviceIds(parsed);
        devices.delete(requester.userId(), requester.deviceId(), ids, DeviceManagementPolicy.bulkOperation(ids), parsed);
        return JsonValue.EMPTY_JSON_OBJECT;
    }

    private static List<String> deviceIds(JsonBody body) {
        if (!body.has("devices")) {
            throw MatrixException.missingParam("devices");
        }
        if (!(body.json().get("devices") instanceof JsonArray array)) {
            throw MatrixException.badJson("'devices' must be an array of strings");
        }
        List<String> ids = new ArrayList<>();
        for (JsonValue value : array) {
            if (!(value instanceof JsonString s)) {
                throw MatrixException.badJson("'devices' must be an array of strings");
            }
            ids.add(s.getString());
        }
        return ids;
    }
}
