#include "aws/credentials/xml.h"

#include <gtest/gtest.h>

#include "aws/credentials/sts_samples.h"

namespace dbtrotate::aws {
namespace {

TEST(XmlTest, ParsesTheAssumeRoleSample) {
  auto doc = ParseXml(testing::kAssumeRoleSample);
  ASSERT_TRUE(doc) << doc.error();
  EXPECT_EQ(doc->name, "AssumeRoleResponse");
  const XmlElement* key = doc->Find({"AssumeRoleResult", "Credentials", "AccessKeyId"});
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->text, "ASIAIOSFODNN7EXAMPLE");
  const XmlElement* request_id = doc->Find({"ResponseMetadata", "RequestId"});
  ASSERT_NE(request_id, nullptr);
  EXPECT_EQ(request_id->text, "c6104cbe-af31-11e0-8154-cbc7ccf896c7");
  EXPECT_EQ(doc->Find({"AssumeRoleResult", "Nope"}), nullptr);
}

TEST(XmlTest, DecodesEntitiesAndCharacterReferences) {
  auto doc = ParseXml(testing::kWebIdentitySample);
  ASSERT_TRUE(doc) << doc.error();
  const XmlElement* creds = doc->Find({"AssumeRoleWithWebIdentityResult", "Credentials"});
  ASSERT_NE(creds, nullptr);
  EXPECT_EQ(creds->Child("SecretAccessKey")->text, "secret&with<entities>\"'");
  EXPECT_EQ(creds->Child("SessionToken")->text, "tokenAB");
  EXPECT_EQ(*DecodeXmlEntities("&#xE9;&#8364;&#x1F600;"), "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST(XmlTest, HandlesPrefixesCdataCommentsAndSelfClosing) {
  auto doc = ParseXml(
      "<?xml version='1.0'?>\n<!-- c -->\n<ns:Root xmlns:ns=\"urn:x\" a='1'>"
      "<ns:A><![CDATA[<raw & text>]]></ns:A><!-- inner --><B/><C x=\"y\" /></ns:Root>\n");
  ASSERT_TRUE(doc) << doc.error();
  EXPECT_EQ(doc->name, "Root");
  EXPECT_EQ(doc->Child("A")->text, "<raw & text>");
  EXPECT_NE(doc->Child("B"), nullptr);
  EXPECT_NE(doc->Child("C"), nullptr);
}

TEST(XmlTest, RejectsMalformedDocuments) {
  for (const char* bad :
       {"", "not xml", "<a>", "<a></b>", "<a>&unknown;</a>", "<a>&amp</a>", "<a>&#0;</a>",
        "<a>&#xD800;</a>", "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", "<a></a><b></b>",
        "<a x=1></a>", "<a><!-- open </a>", "<a><![CDATA[ open </a>", "<a x='<'></a>"}) {
    EXPECT_FALSE(ParseXml(bad)) << bad;
  }
}

TEST(XmlTest, BoundsNesting) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<a>";
  for (int i = 0; i < 100; ++i) deep += "</a>";
  auto doc = ParseXml(deep);
  ASSERT_FALSE(doc);
  EXPECT_NE(doc.error().find("nested too deeply"), std::string::npos);
}

TEST(XmlTest, ErrorsDoNotQuoteTheDocument) {
  auto doc =
      ParseXml("<Credentials><SecretAccessKey>TOPSECRET&bogus;</SecretAccessKey></Credentials>");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().find("TOPSECRET"), std::string::npos) << doc.error();
}

}  // namespace
}  // namespace dbtrotate::aws
