package io.tickstream.cli;

import io.tickstream.generator.cli.Flags;
import io.tickstream.pipeline.catalog.AthenaDdl;
import io.tickstream.pipeline.catalog.GlueTable;
import io.tickstream.pipeline.catalog.GlueTableInput;
import io.tickstream.pipeline.catalog.LakeCatalog;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tickstream catalog}: the lake's Glue tables and Athena DDL, from the datasets' schemas, so
 * no crawler guesses them.
 */
@Command(
    name = "catalog",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the catalog of an S3 lake, derived from the datasets' schemas: Athena DDL or Glue"
          + " TableInput JSON. Partitions are projected (dt from --first-day to NOW, hour 0-23):"
          + " new ones are queryable the moment they are written, with no crawler or MSCK REPAIR.",
      ""
    },
    subcommandsRepeatable = false)
final class CatalogCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** The flags every catalog subcommand takes. */
  static final class CatalogFlags {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
        names = "--lake",
        required = true,
        paramLabel = "s3://BUCKET/PREFIX",
        description = "The lake's root on S3.")
    String lake;

    @Option(
        names = "--database",
        paramLabel = "NAME",
        defaultValue = LakeCatalog.DEFAULT_DATABASE,
        description = "The Glue database of the tables.")
    String database;

    @Option(
        names = "--first-day",
        paramLabel = "yyyy-MM-dd",
        defaultValue = LakeCatalog.DEFAULT_FIRST_DAY,
        description = "The first day of the dt projection: queries see nothing before it.")
    String firstDay;

    LakeCatalog catalog() {
      LocalDate first = Flags.parse(spec, "--first-day", firstDay, BackfillCommand::date);
      if (!LakeCatalog.isDatabaseName(database)) {
        throw Flags.invalid(spec, "--database", database, LakeCatalog.DATABASE_RULE);
      }
      return Flags.parse(spec, "--lake", lake, l -> LakeCatalog.of(l, database, first));
    }
  }

  /** {@code tickstream catalog ddl}: Athena's statements for the lake. */
  @Command(
      name = "ddl",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      showDefaultValues = true,
      description = {
        "Prints CREATE DATABASE and a CREATE EXTERNAL TABLE per dataset, for Athena engine 3.",
        ""
      },
      footer = {"", "Example:", "  tickstream catalog ddl --lake s3://my-bucket/lake > lake.sql"})
  static final class Ddl implements Runnable {
    @Spec CommandSpec spec;

    @Mixin CatalogFlags flags;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      out.print(AthenaDdl.of(flags.catalog()));
      out.flush();
    }
  }

  /** {@code tickstream catalog glue}: Glue's TableInput JSON for the lake's tables. */
  @Command(
      name = "glue",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      showDefaultValues = true,
      description = {
        "Prints Glue TableInput JSON: one object with --dataset, else an array of every table.",
        ""
      },
      footer = {
        "",
        "Example:",
        "  tickstream catalog glue --lake s3://my-bucket/lake --dataset trades > trades.json",
        "  aws glue create-table --database-name tickstream --table-input file://trades.json"
      })
  static final class Glue implements Runnable {
    @Spec CommandSpec spec;

    @Mixin CatalogFlags flags;

    @Option(
        names = "--dataset",
        paramLabel = "DATASET",
        description =
            "Only this dataset's table: ticks, bars_1m, signals, positions, trades,"
                + " dead_letter.")
    String dataset;

    @Override
    public void run() {
      LakeCatalog catalog = flags.catalog();
      List<GlueTable> tables =
          dataset == null
              ? catalog.tables()
              : List.of(
                  catalog.table(Flags.parse(spec, "--dataset", dataset, CompactCommand::dataset)));
      PrintWriter out = spec.commandLine().getOut();
      out.println(GlueTableInput.json(tables));
      out.flush();
    }
  }
}
