package io.tickstream.cli;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The DynamoDB table that also keeps the open positions. */
@Description("Positions table")
public interface PositionsTableOptions extends PipelineOptions {
  @Description(
      "DynamoDB table that also keeps the open positions (upsert on open and mark, delete on"
          + " close); none by default. It must exist.")
  @ParamLabel("TABLE")
  String getPositionsTable();

  void setPositionsTable(String value);

  @Description("DynamoDB endpoint URL for --positions-table (e.g. DynamoDB Local); default AWS's.")
  @ParamLabel(ParamLabel.URL)
  String getDynamodbEndpoint();

  void setDynamodbEndpoint(String value);
}
