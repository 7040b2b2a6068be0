using System.Text.Json;
using Dockerbuild.Testing;

namespace Dockerbuild.Cli.Tests;

public sealed class ParseCommandTests
{
    [Fact]
    public async Task BuildKitFormatPrintsTheAstDumpOfAConformanceCase()
    {
        var dir = Conformance.PathOf("buildkit-parser", "testfiles", "brimstone-consuldock");
        var (code, output, error) = await CliRunner.RunAsync("parse", "--format", "buildkit", Path.Combine(dir, "Dockerfile"));
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(dir, "result"), TestContext.Current.CancellationToken), output);
    }

    [Fact]
    public async Task JsonFormatPrintsTypedInstructionsWithSpans()
    {
        using var files = new TempDockerfiles();
        var path = files.Write("Dockerfile", "ARG V=1\nFROM alpine:$V AS build\nRUN --mount=type=cache,target=/c make\nCOPY --from=build /a /b\n");
        var (code, output, error) = await CliRunner.RunAsync("parse", path);
        Assert.Equal((0, ""), (code, error));

        using var json = JsonDocument.Parse(output);
        var file = Assert.Single(json.RootElement.EnumerateArray().ToList());
        Assert.Equal("V", file.GetProperty("globalArgs")[0].GetProperty("args")[0].GetProperty("name").GetString());
        var stage = file.GetProperty("stages")[0];
        Assert.Equal("build", stage.GetProperty("name").GetString());
        var run = stage.GetProperty("instructions")[0];
        Assert.Equal("RUN", run.GetProperty("instruction").GetString());
        Assert.Equal("cache", run.GetProperty("mounts")[0].GetProperty("type").GetString());
        Assert.Equal(3, run.GetProperty("span").GetProperty("startLine").GetInt32());
        var copy = stage.GetProperty("instructions")[1];
        Assert.Equal(("COPY", "build"), (copy.GetProperty("instruction").GetString(), copy.GetProperty("from").GetString()));
    }

    /// <summary>
    /// The whole JSON of one file, byte for byte: property names and order, the instruction
    /// discriminator, enums as camelCase strings (every enum of the model), nulls left out, durations,
    /// escaping. The shipped tool is compiled ahead of time with a source-generated serializer; this
    /// pins what the reflection serializer printed before it.
    /// </summary>
    [Fact]
    public async Task JsonFormatIsPinned()
    {
        using var files = new TempDockerfiles();
        var path = files.Write("Dockerfile", """
            ARG V=1
            FROM alpine:$V AS build
            RUN --network=host --security=insecure --mount=type=cache,target=/c,sharing=locked,mode=0755 make
            COPY --from=build --chmod=644 /a /b
            HEALTHCHECK --interval=5s CMD ["true"]

            """);
        var (code, output, error) = await CliRunner.RunAsync("parse", path);
        Assert.Equal((0, ""), (code, error));
        Assert.Equal(Expected.Replace("FILE", JsonEncodedText.Encode(path).ToString(), StringComparison.Ordinal) + "\n", output.ReplaceLineEndings("\n"));
    }

    private const string Expected = """
        [
          {
            "globalArgs": [
              {
                "args": [
                  {
                    "name": "V",
                    "defaultValue": "1"
                  }
                ],
                "keyword": "ARG",
                "span": {
                  "file": "FILE",
                  "startLine": 1,
                  "startColumn": 1,
                  "endLine": 1,
                  "endColumn": 7
                },
                "original": "ARG V=1"
              }
            ],
            "stages": [
              {
                "name": "build",
                "index": 0,
                "baseName": "alpine:$V",
                "instructions": [
                  {
                    "instruction": "RUN",
                    "command": {
                      "isExecForm": false,
                      "arguments": [
                        "make"
                      ],
                      "heredocs": [],
                      "shellText": "make"
                    },
                    "mounts": [
                      {
                        "spec": "type=cache,target=/c,sharing=locked,mode=0755",
                        "type": "cache",
                        "target": "/c",
                        "readOnly": false,
                        "sharing": "locked",
                        "mode": 493,
                        "required": false
                      }
                    ],
                    "network": "host",
                    "security": "insecure",
                    "keyword": "RUN",
                    "span": {
                      "file": "FILE",
                      "startLine": 3,
                      "startColumn": 1,
                      "endLine": 3,
                      "endColumn": 97
                    },
                    "original": "RUN --network=host --security=insecure --mount=type=cache,target=/c,sharing=locked,mode=0755 make"
                  },
                  {
                    "instruction": "COPY",
                    "sources": {
                      "paths": [
                        "/a"
                      ],
                      "contents": [],
                      "destination": "/b"
                    },
                    "from": "build",
                    "chmod": "644",
                    "link": false,
                    "parents": false,
                    "excludes": [],
                    "keyword": "COPY",
                    "span": {
                      "file": "FILE",
                      "startLine": 4,
                      "startColumn": 1,
                      "endLine": 4,
                      "endColumn": 35
                    },
                    "original": "COPY --from=build --chmod=644 /a /b"
                  },
                  {
                    "instruction": "HEALTHCHECK",
                    "command": {
                      "isExecForm": true,
                      "arguments": [
                        "true"
                      ],
                      "heredocs": []
                    },
                    "interval": "00:00:05",
                    "isNone": false,
                    "keyword": "HEALTHCHECK",
                    "span": {
                      "file": "FILE",
                      "startLine": 5,
                      "startColumn": 1,
                      "endLine": 5,
                      "endColumn": 38
                    },
                    "original": "HEALTHCHECK --interval=5s CMD [\u0022true\u0022]"
                  }
                ],
                "span": {
                  "file": "FILE",
                  "startLine": 2,
                  "startColumn": 1,
                  "endLine": 2,
                  "endColumn": 23
                }
              }
            ],
            "directives": [],
            "escapeToken": "\\",
            "file": "FILE"
          }
        ]
        """;

    [Fact]
    public async Task AFileThatFailsIsOneLineOnStderrAndTheOthersStillPrint()
    {
        using var files = new TempDockerfiles();
        var good = files.Write("good", "FROM scratch\n");
        var bad = files.Write("bad", "FROM scratch\nCOPY --form=x a b\n");
        var (code, output, error) = await CliRunner.RunAsync("parse", "--format", "buildkit", bad, good);
        Assert.Equal(1, code);
        Assert.Equal($"{bad}:2:1: unknown flag: --form for COPY (did you mean --from?)\n", error.ReplaceLineEndings("\n"));
        Assert.Contains("(from \"scratch\")", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASyntaxErrorNamesFileAndLine()
    {
        using var files = new TempDockerfiles();
        var bad = files.Write("bad", "FROM scratch\nSHELL /bin/sh -c\n");
        var (code, _, error) = await CliRunner.RunAsync("parse", bad);
        Assert.Equal(1, code);
        Assert.StartsWith($"{bad}:2:", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task AMissingFileIsOneLine()
    {
        var (code, output, error) = await CliRunner.RunAsync("parse", "/no/such/Dockerfile");
        Assert.Equal((1, "", "/no/such/Dockerfile: no such file\n"), (code, output, error.ReplaceLineEndings("\n")));
    }

    [Theory]
    [InlineData("parse", "--format", "xml", "Dockerfile")]
    [InlineData("parse")]
    [InlineData("parse", "--bogus", "Dockerfile")]
    [InlineData("frobnicate")]
    public async Task BadUsageIsOneClearLine(params string[] args)
    {
        var (code, output, error) = await CliRunner.RunAsync(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("dockerbuild: ", line, StringComparison.Ordinal);
        Assert.EndsWith("(see 'dockerbuild --help')", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpListsTheCommands()
    {
        var (code, output, _) = await CliRunner.RunAsync("--help");
        Assert.Equal(0, code);
        Assert.Contains("parse", output, StringComparison.Ordinal);
        Assert.Contains("check", output, StringComparison.Ordinal);
    }
}
