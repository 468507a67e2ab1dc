#ifndef DBTROTATE_TESTS_AWS_CREDENTIALS_STS_SAMPLES_H_
#define DBTROTATE_TESTS_AWS_CREDENTIALS_STS_SAMPLES_H_

// STS response bodies shaped like the documented samples (reference §5.4, §5.5; the STS API
// reference AssumeRole example, which wraps the session token in whitespace).

namespace dbtrotate::aws::testing {

inline constexpr char kAssumeRoleSample[] =
    R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<AssumeRoleResult>
<SourceIdentity>Alice</SourceIdentity>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/TestAR</Arn>
      <AssumedRoleId>ARO123EXAMPLE123:TestAR</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>
       AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==
      </SessionToken>
      <Expiration>2019-11-09T13:34:41Z</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>)";

inline constexpr char kWebIdentitySample[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Audience>my-cluster.sk1.us-west-2.eks.amazonaws.com</Audience>
    <AssumedRoleUser>
      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:app1</AssumedRoleId>
      <Arn>arn:aws:sts::123456789012:assumed-role/FederatedWebIdentityRole/app1</Arn>
    </AssumedRoleUser>
    <Provider>www.amazon.com</Provider>
    <Credentials>
      <AccessKeyId>ASIAWEBIDENTITYEXAMPLE</AccessKeyId>
      <SecretAccessKey>secret&amp;with&lt;entities&gt;&quot;&apos;</SecretAccessKey>
      <SessionToken>token&#65;&#x42;</SessionToken>
      <Expiration>2026-08-30T13:36:00Z</Expiration>
    </Credentials>
    <SubjectFromWebIdentityToken>
      system:serviceaccount:default:default
    </SubjectFromWebIdentityToken>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>)";

inline constexpr char kAccessDeniedSample[] =
    R"(<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>AccessDenied</Code>
    <Message>User: arn:aws:iam::123456789012:user/rotator is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/Rotator &amp; more</Message>
  </Error>
  <RequestId>4b9a8c4e-0000-4000-8000-000000000000</RequestId>
</ErrorResponse>)";

}  // namespace dbtrotate::aws::testing

#endif  // DBTROTATE_TESTS_AWS_CREDENTIALS_STS_SAMPLES_H_
