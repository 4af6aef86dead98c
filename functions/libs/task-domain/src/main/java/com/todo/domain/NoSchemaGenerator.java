package com.todo.domain;

import io.micronaut.context.BeanLocator;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.env.Environment;
import io.micronaut.data.jdbc.config.DataJdbcConfiguration;
import io.micronaut.data.jdbc.config.SchemaGenerator;
import io.micronaut.data.jdbc.operations.JdbcSchemaHandler;
import io.micronaut.data.model.query.builder.sql.validation.SqlTableMappingValidator;

import java.util.List;

/**
 * Takes the place of Micronaut Data's schema generator, a bean created eagerly at start: the schema is Flyway's
 * (architecture D7), so all the generator did was create the entity registry on the main thread, in each cold
 * start. This one does nothing; the warm-up or the first query creates the registry.
 */
@Context // Micronaut drops an eager bean only for another eager one
@Replaces(SchemaGenerator.class)
class NoSchemaGenerator extends SchemaGenerator {

    NoSchemaGenerator(List<DataJdbcConfiguration> configurations, JdbcSchemaHandler schemaHandler,
                      List<SqlTableMappingValidator> validators, Environment environment) {
        super(configurations, schemaHandler, validators, environment);
    }

    @Override
    public void createOrValidateSchema(BeanLocator beanLocator) {
        // the schema is Flyway's
    }
}
