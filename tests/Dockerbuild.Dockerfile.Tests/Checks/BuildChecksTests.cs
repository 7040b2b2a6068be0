using Dockerbuild.Dockerfile.Checks;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Tests.Checks;

/// <summary>
/// Each rule fires on a Dockerfile that breaks it (message texts as BuildKit's ruleset.go formats them)
/// and stays silent on the fixed file.
/// </summary>
public sealed class BuildChecksTests
{
    internal static IReadOnlyList<CheckFinding> Check(
        string dockerfile,
        IReadOnlyDictionary<string, string>? buildArgs = null,
        Func<string, IReadOnlyDictionary<string, string>?>? baseImageEnv = null)
    {
        var syntax = DockerfileParser.Parse(dockerfile, "Dockerfile");
        return BuildChecks.Run(syntax, DockerfileBinder.Bind(syntax), buildArgs, baseImageEnv);
    }

    private static void Fires(string rule, string dockerfile, string message, int line, Func<string, IReadOnlyDictionary<string, string>?>? env = null)
    {
        var finding = Assert.Single(Check(dockerfile, baseImageEnv: env), f => f.RuleName == rule);
        Assert.Equal(message, finding.Message);
        Assert.Equal(line, finding.Span.StartLine);
        Assert.False(finding.IsError);
    }

    private static void Silent(string rule, string dockerfile, Func<string, IReadOnlyDictionary<string, string>?>? env = null) =>
        Assert.DoesNotContain(Check(dockerfile, baseImageEnv: env), f => f.RuleName == rule);

    private static IReadOnlyDictionary<string, string>? AlpineEnv(string image) =>
        image.StartsWith("alpine", StringComparison.Ordinal)
            ? new Dictionary<string, string> { ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" }
            : null;

    [Fact]
    public void StageNameCasingFires() => Fires(
        "StageNameCasing", "FROM alpine AS BuilderBase\nRUN true\n", "Stage name 'BuilderBase' should be lowercase", 1);

    [Fact]
    public void StageNameCasingSilentWhenLowercase() => Silent("StageNameCasing", "FROM alpine AS builder-base\n");

    [Fact]
    public void FromAsCasingFires()
    {
        Fires("FromAsCasing", "FROM debian:latest as builder\n", "'as' and 'FROM' keywords' casing do not match", 1);
        Fires("FromAsCasing", "from debian:latest AS builder\n", "'AS' and 'from' keywords' casing do not match", 1);
    }

    [Fact]
    public void FromAsCasingSilentWhenCasingMatches()
    {
        Silent("FromAsCasing", "FROM debian:latest AS builder\n");
        Silent("FromAsCasing", "from debian:latest as builder\n");
    }

    [Fact]
    public void ConsistentInstructionCasingFiresAgainstTheMajority()
    {
        Fires("ConsistentInstructionCasing", "FROM alpine\nrun echo hello\nRUN echo world\n",
            "Command 'run' should match the case of the command majority (uppercase)", 2);
        Fires("ConsistentInstructionCasing", "from alpine\nRUN echo hello\nrun echo world\n",
            "Command 'RUN' should match the case of the command majority (lowercase)", 2);
        Fires("ConsistentInstructionCasing", "FROM alpine\nRun echo hello\n",
            "Command 'Run' should match the case of the command majority (uppercase)", 2);
    }

    [Fact]
    public void ConsistentInstructionCasingSilentWhenConsistent()
    {
        Silent("ConsistentInstructionCasing", "FROM alpine\nRUN echo hello\nRUN echo world\n");
        Silent("ConsistentInstructionCasing", "arg V=1\nFROM alpine\nRUN echo hello\n");
    }

    [Fact]
    public void DuplicateStageNameFires() => Fires(
        "DuplicateStageName", "FROM debian:latest AS builder\nRUN apt-get update\nFROM golang:latest AS builder\n",
        "Duplicate stage name \"builder\", stage names should be unique", 3);

    [Fact]
    public void DuplicateStageNameSilentWhenUnique() => Silent(
        "DuplicateStageName", "FROM debian:latest AS deb-builder\nFROM golang:latest AS go-builder\n");

    [Fact]
    public void ReservedStageNameFires() => Fires(
        "ReservedStageName", "FROM alpine AS scratch\n", "Stage name should not use the same name as reserved stage \"scratch\"", 1);

    [Fact]
    public void ReservedStageNameSilentOtherwise() => Silent("ReservedStageName", "FROM alpine AS base\n");

    [Fact]
    public void JsonArgsRecommendedFires()
    {
        Fires("JSONArgsRecommended", "FROM alpine\nENTRYPOINT my-program start\n",
            "JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals", 2);
        Fires("JSONArgsRecommended", "FROM alpine\ncmd my-program start\n",
            "JSON arguments recommended for cmd to prevent unintended behavior related to OS signals", 2);
    }

    [Fact]
    public void JsonArgsRecommendedSilentForExecFormOrAnExplicitShell()
    {
        Silent("JSONArgsRecommended", "FROM alpine\nENTRYPOINT [\"my-program\", \"start\"]\n");
        Silent("JSONArgsRecommended", "FROM alpine\nSHELL [\"/bin/bash\", \"-c\"]\nCMD my-program start\n");
        Silent("JSONArgsRecommended", "FROM alpine AS base\nSHELL [\"/bin/bash\", \"-c\"]\nFROM base\nCMD my-program start\n");
    }

    /// <summary>BuildKit tests len(image.Config.Shell): a base image whose config sets SHELL counts as an explicit shell.</summary>
    [Fact]
    public void JsonArgsRecommendedSilentWhenTheBaseImageSetsAShell()
    {
        var syntax = DockerfileParser.Parse("FROM pwsh-image\nCMD Write-Host hi\nFROM alpine\nCMD my-program start\n", "Dockerfile");
        var findings = BuildChecks.Run(
            syntax,
            DockerfileBinder.Bind(syntax),
            baseImageShell: image => image == "pwsh-image" ? ["pwsh", "-Command"] : null);

        var finding = Assert.Single(findings, f => f.RuleName == "JSONArgsRecommended");
        Assert.Equal(4, finding.Span.StartLine);
    }

    [Fact]
    public void MaintainerDeprecatedFires() => Fires(
        "MaintainerDeprecated", "FROM alpine\nMAINTAINER moby@example.com\n", "Maintainer instruction is deprecated in favor of using label", 2);

    [Fact]
    public void MaintainerDeprecatedSilentWithALabel() => Silent(
        "MaintainerDeprecated", "FROM alpine\nLABEL org.opencontainers.image.authors=\"moby@example.com\"\n");

    [Fact]
    public void LegacyKeyValueFormatFires()
    {
        Fires("LegacyKeyValueFormat", "FROM alpine\nENV DEPS curl git make\n",
            "\"ENV key=value\" should be used instead of legacy \"ENV key value\" format", 2);
        Fires("LegacyKeyValueFormat", "FROM alpine\nLABEL maintainer someone\n",
            "\"LABEL key=value\" should be used instead of legacy \"LABEL key value\" format", 2);
    }

    [Fact]
    public void LegacyKeyValueFormatSilentForKeyEqualsValue() => Silent(
        "LegacyKeyValueFormat", "FROM alpine\nENV DEPS=\"curl git make\"\nLABEL maintainer=someone\n");

    [Fact]
    public void UndefinedArgInFromFires() => Fires(
        "UndefinedArgInFrom", "FROM node:22${VARIANT} AS jsbuilder\n", "FROM argument 'VARIANT' is not declared", 1);

    [Fact]
    public void UndefinedArgInFromSuggestsAClosename() => Fires(
        "UndefinedArgInFrom", "ARG VERSION=22\nFROM node:${VERSON}\n", "FROM argument 'VERSON' is not declared (did you mean VERSION?)", 2);

    [Fact]
    public void UndefinedArgInFromSilentWhenDeclaredOrPredefined()
    {
        Silent("UndefinedArgInFrom", "ARG VARIANT=-alpine3.20\nFROM node:22${VARIANT} AS jsbuilder\n");
        Silent("UndefinedArgInFrom", "ARG VARIANT\nFROM node:22${VARIANT} AS jsbuilder\n");
        Silent("UndefinedArgInFrom", "FROM --platform=$BUILDPLATFORM golang AS build\n");
    }

    [Fact]
    public void InvalidDefaultArgInFromFires() => Fires(
        "InvalidDefaultArgInFrom", "ARG TAG\nFROM busybox:${TAG}\n", "Default value for ARG busybox:${TAG} results in empty or invalid base image name", 2);

    [Fact]
    public void InvalidDefaultArgInFromSilentWithADefault()
    {
        Silent("InvalidDefaultArgInFrom", "ARG TAG=latest\nFROM busybox:${TAG}\n");
        Silent("InvalidDefaultArgInFrom", "ARG TAG\nFROM busybox:${TAG:-latest}\n");
    }

    [Fact]
    public void UndefinedVarFires() => Fires(
        "UndefinedVar", "FROM alpine AS base\nCOPY $foo .\n", "Usage of undefined variable '$foo'", 2, AlpineEnv);

    [Fact]
    public void UndefinedVarSuggestsACloseName() => Fires(
        "UndefinedVar", "FROM alpine\nENV PATH=$PAHT:/app/bin\n", "Usage of undefined variable '$PAHT' (did you mean $PATH?)", 2, AlpineEnv);

    [Fact]
    public void UndefinedVarSilentWhenDefined()
    {
        Silent("UndefinedVar", "FROM alpine AS base\nARG foo\nCOPY $foo .\n", AlpineEnv);
        Silent("UndefinedVar", "FROM alpine\nENV PATH=$PATH:/app/bin\n", AlpineEnv);
        Silent("UndefinedVar", "FROM scratch AS a\nENV DIR=/x\nFROM a\nWORKDIR $DIR\n");
    }

    [Fact]
    public void UndefinedVarStandsAsideWhenTheBaseImageEnvironmentIsUnknown() =>
        Silent("UndefinedVar", "FROM golang\nENV PATH=$GOPATH/bin:$PATH\n");

    [Fact]
    public void UndefinedVarChecksScratchWithoutBeingTold() => Fires(
        "UndefinedVar", "FROM scratch\nWORKDIR /$APP\n", "Usage of undefined variable '$APP'", 2);

    [Fact]
    public void WorkdirRelativePathFires() => Fires(
        "WorkdirRelativePath", "FROM alpine\nWORKDIR app\n", "Relative workdir \"app\" can have unexpected results if the base image changes", 2);

    [Fact]
    public void WorkdirRelativePathSilentAfterAnAbsoluteWorkdir()
    {
        Silent("WorkdirRelativePath", "FROM alpine\nWORKDIR /app\nWORKDIR src\n");
        Silent("WorkdirRelativePath", "FROM alpine AS base\nWORKDIR /app\nFROM base\nWORKDIR src\n");
    }

    [Fact]
    public void WorkdirRelativePathDoesNotJudgeWhatItCannotKnow()
    {
        Silent("WorkdirRelativePath", "FROM spark\nWORKDIR $SPARK_HOME\n");
        Silent("WorkdirRelativePath", "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver\nWORKDIR C:\\go\n");
        Fires("WorkdirRelativePath", "FROM scratch\nWORKDIR $SPARK_HOME\n", "Relative workdir \"\" can have unexpected results if the base image changes", 2);
    }

    [Fact]
    public void MultipleInstructionsDisallowedFiresAtTheIgnoredOne() => Fires(
        "MultipleInstructionsDisallowed", "FROM alpine\nENTRYPOINT [\"echo\", \"1\"]\nENTRYPOINT [\"echo\", \"2\"]\n",
        "Multiple ENTRYPOINT instructions should not be used in the same stage because only the last one will be used", 2);

    [Fact]
    public void MultipleInstructionsDisallowedSilentAcrossStages() => Silent(
        "MultipleInstructionsDisallowed", "FROM alpine AS a\nCMD [\"a\"]\nHEALTHCHECK NONE\nFROM a\nCMD [\"b\"]\nHEALTHCHECK NONE\n");

    [Fact]
    public void SecretsUsedInArgOrEnvFires()
    {
        Fires("SecretsUsedInArgOrEnv", "FROM scratch\nARG AWS_SECRET_ACCESS_KEY\n",
            "Do not use ARG or ENV instructions for sensitive data (ARG \"AWS_SECRET_ACCESS_KEY\")", 2);
        Fires("SecretsUsedInArgOrEnv", "FROM scratch\nENV github_token=x\n",
            "Do not use ARG or ENV instructions for sensitive data (ENV \"github_token\")", 2);
    }

    [Fact]
    public void SecretsUsedInArgOrEnvSilentForAllowedOrHarmlessNames() => Silent(
        "SecretsUsedInArgOrEnv", "FROM scratch\nARG PUBLIC_KEY\nARG KEY_FILE\nENV GPG_KEYS=abc\nARG KEYCLOAK_VERSION\nENV TOKENIZER=x\n");

    [Fact]
    public void ExposeProtoCasingFires() => Fires(
        "ExposeProtoCasing", "FROM alpine\nEXPOSE 80/TcP\n", "Defined protocol '80/TcP' in EXPOSE instruction should be lowercase", 2);

    [Fact]
    public void ExposeProtoCasingSilentWhenLowercase() => Silent("ExposeProtoCasing", "FROM alpine\nEXPOSE 80/tcp 53/udp 8080\n");

    [Fact]
    public void NoEmptyContinuationFiresAtTheEndOfTheInstruction() => Fires(
        "NoEmptyContinuation", "FROM alpine\nEXPOSE \\\n\n80\n", "Empty continuation line", 4);

    [Fact]
    public void NoEmptyContinuationSilentWithoutBlankLines() => Silent("NoEmptyContinuation", "FROM alpine\nEXPOSE \\\n80\n");

    [Fact]
    public void EveryRuleNameIsBuildKits() => Assert.Equal(22, BuildChecks.RuleNames.Count);
}
