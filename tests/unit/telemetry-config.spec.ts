import { expect, test } from "@playwright/test";
import { ConfigError, getEnv } from "@/lib/config/env";
import { tracesUrl } from "@/lib/telemetry/start";

const base = { PORT: "3000", NODE_ENV: "test" } as NodeJS.ProcessEnv;

test.describe("OpenTelemetry configuration", () => {
  test("unset: tracing is off, the service is called mcphub, protobuf is the protocol", () => {
    const env = getEnv(base);
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(
      tracesUrl(env.OTEL_EXPORTER_OTLP_ENDPOINT, env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT),
    ).toBeUndefined();
    expect(env.OTEL_SERVICE_NAME).toBe("mcphub");
    expect(env.OTEL_EXPORTER_OTLP_PROTOCOL).toBe("http/protobuf");
    expect(env.OTEL_SDK_DISABLED).toBe(false);
  });

  test("the general endpoint gets /v1/traces appended; a traces endpoint is used as it is", () => {
    const env = getEnv({
      ...base,
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/",
      OTEL_SERVICE_NAME: "hub-eu",
    });
    expect(tracesUrl(env.OTEL_EXPORTER_OTLP_ENDPOINT)).toBe("http://collector:4318/v1/traces");
    expect(tracesUrl("http://collector:4318", "https://traces.example/otlp")).toBe(
      "https://traces.example/otlp",
    );
    expect(env.OTEL_SERVICE_NAME).toBe("hub-eu");
  });

  const errorCases: Array<[Record<string, string>, RegExp]> = [
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" },
      /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/,
    ],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/?x=1" },
      /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/,
    ],
    [
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "grpc://collector:4317" },
      /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be/,
    ],
    [
      { OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" },
      /OTEL_EXPORTER_OTLP_PROTOCOL must be http\/protobuf or http\/json .*gRPC is not supported/,
    ],
    [{ OTEL_SDK_DISABLED: "yes" }, /OTEL_SDK_DISABLED must be true or false/],
  ];
  for (const [vars, message] of errorCases) {
    test(`refused: ${JSON.stringify(vars)}`, () => {
      expect(() => getEnv({ ...base, ...vars })).toThrow(ConfigError);
      expect(() => getEnv({ ...base, ...vars })).toThrow(message);
    });
  }
});
