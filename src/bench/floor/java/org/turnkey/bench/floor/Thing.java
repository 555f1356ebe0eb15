package org.turnkey.bench.floor;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The floor WAR's one entity: EclipseLink creates its table at deployment. */
@Entity
@Table(name = "things")
public class Thing {

    @Id
    public long id;

    public String name;
}
