package org.turnkey.oauth.client;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.turnkey.api.Jsons;

import java.io.StringReader;
import java.util.List;
import java.util.Optional;

/**
 * A client registered through dynamic client registration (RFC 7591, spec "Client
 * registration"). Its metadata is kept as registered (JSON, as answered to the client); the
 * columns beside it are what pages and lookups need.
 */
@Entity
@Table(name = "oauth_clients")
public class OAuthClient {

    public static final String WEB = "web";
    public static final String NATIVE = "native";

    @Id
    @Column(name = "client_id")
    private String clientId;

    @Column(name = "metadata_digest")
    private String metadataDigest;

    private String metadata;

    @Column(name = "application_type")
    private String applicationType;

    @Column(name = "client_name")
    private String clientName;

    @Column(name = "client_uri")
    private String clientUri;

    @Column(name = "created_ts")
    private long createdTs;

    @Transient
    private JsonObject parsed;

    protected OAuthClient() {
    }

    public OAuthClient(String clientId, String metadataDigest, JsonObject metadata, long createdTs) {
        this.clientId = clientId;
        this.metadataDigest = metadataDigest;
        this.metadata = metadata.toString();
        this.applicationType = metadata.getString("application_type", WEB);
        this.clientName = metadata.getString("client_name", null);
        this.clientUri = metadata.getString("client_uri", null);
        this.createdTs = createdTs;
        this.parsed = metadata;
    }

    public String clientId() { return clientId; }
    public String metadataDigest() { return metadataDigest; }
    public String applicationType() { return applicationType; }
    public boolean isNative() { return NATIVE.equals(applicationType); }
    public long createdTs() { return createdTs; }

    /** The metadata as registered (without {@code client_id}). */
    public JsonObject metadata() {
        if (parsed == null) {
            try (var reader = Jsons.createReader(new StringReader(metadata))) {
                parsed = reader.readObject();
            }
        }
        return parsed;
    }

    public Optional<String> clientName() { return Optional.ofNullable(clientName); }
    public Optional<String> clientUri() { return Optional.ofNullable(clientUri); }
    public Optional<String> logoUri() { return string("logo_uri"); }
    public Optional<String> tosUri() { return string("tos_uri"); }
    public Optional<String> policyUri() { return string("policy_uri"); }

    public List<String> redirectUris() {
        return metadata().getJsonArray("redirect_uris") == null ? List.of()
                : metadata().getJsonArray("redirect_uris").getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString).toList();
    }

    /** The registered grant types (RFC 7591 section 2; the registration policy filled in the default). */
    public List<String> grantTypes() {
        return metadata().getJsonArray("grant_types") == null ? List.of("authorization_code")
                : metadata().getJsonArray("grant_types").getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString).toList();
    }

    private Optional<String> string(String field) {
        JsonValue value = metadata().get(field);
        return value instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    }
}
