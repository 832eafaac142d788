import { describe, expect, it } from 'vitest';
import { likeMatches } from '../../src/camunda/like';
import { MAX_PATTERN_LENGTH, maskMessage } from '../../src/camunda/message-mask';

/**
 * Real-world messages as Camunda stores them (the exception's message, first 666 characters:
 * JobEntity.java:523, ExternalTaskEntity.java:306-307), each in two variants of one problem and
 * one message of another problem. `text` is the cause as the operator reads it.
 */
interface Case {
  name: string;
  a: string;
  b: string;
  other: string;
  text: string;
}

const CORPUS: Case[] = [
  {
    name: "SAP JCo, gateway not reached (multi-line)",
    a: "com.sap.conn.jco.JCoException: (102) JCO_ERROR_COMMUNICATION: Connect to SAP gateway failed\nConnection parameters: TYPE=A DEST=SAP_PRD ASHOST=sapprd01 SYSNR=00 PCS=1\n\nLOCATION    CPIC (TCP/IP) on local host with Unicode\nERROR       partner 'sapgw00:3300' not reached\nTIME        Thu May  2 10:15:30 2024\nRELEASE     753\nERRNO       111\nERRNO TEXT  Connection refused\nCOUNTER     17",
    b: "com.sap.conn.jco.JCoException: (102) JCO_ERROR_COMMUNICATION: Connect to SAP gateway failed\nConnection parameters: TYPE=A DEST=SAP_PRD ASHOST=sapprd02 SYSNR=00 PCS=1\n\nLOCATION    CPIC (TCP/IP) on local host with Unicode\nERROR       partner 'sapgw01:3301' not reached\nTIME        Fri May 31 23:59:01 2024\nRELEASE     753\nERRNO       111\nERRNO TEXT  Connection refused\nCOUNTER     4711",
    other: "com.sap.conn.jco.JCoException: (103) JCO_ERROR_LOGON_FAILURE: Name or password is incorrect (repeat logon) on sapprd01 sysnr 00",
    text: "com.sap.conn.jco.JCoException: (…) JCO_ERROR_COMMUNICATION: Connect to SAP gateway failed…",
  },
  {
    name: "SAP JCo, one line with partner host:port",
    a: "com.sap.conn.jco.JCoException: (102) JCO_ERROR_COMMUNICATION: Connect to SAP gateway failed, partner 'sapgw00:3300' not reached",
    b: "com.sap.conn.jco.JCoException: (102) JCO_ERROR_COMMUNICATION: Connect to SAP gateway failed, partner '10.20.30.40:3301' not reached",
    other: "com.sap.conn.jco.JCoException: (104) JCO_ERROR_SYSTEM_FAILURE: Material 000000000000004711 does not exist",
    text: "com.sap.conn.jco.JCoException: (…) JCO_ERROR_COMMUNICATION: Connect to SAP gateway failed, partner '…' not reached",
  },
  {
    name: "SAP JCo, ABAP exception with business data",
    a: "com.sap.conn.jco.AbapException: (126) ORDER_LOCKED: Sales order 0000004711 is being processed by user MMUSTER",
    b: "com.sap.conn.jco.AbapException: (126) ORDER_LOCKED: Sales order 0000004712 is being processed by user MMUSTER",
    other: "com.sap.conn.jco.AbapException: (126) CUSTOMER_BLOCKED: Customer 0000100017 is blocked for sales",
    text: "com.sap.conn.jco.AbapException: (…) ORDER_LOCKED: Sales order … is being processed by user MMUSTER",
  },
  {
    name: "Spring RestTemplate, connection refused",
    a: "org.springframework.web.client.ResourceAccessException: I/O error on POST request for \"https://erp.example.com:8443/api/orders/4711/confirm?requestId=8c1f6d3e\": Connection refused; nested exception is java.net.ConnectException: Connection refused",
    b: "org.springframework.web.client.ResourceAccessException: I/O error on POST request for \"https://erp.example.com:8443/api/orders/99/confirm?requestId=ab12\": Connection refused; nested exception is java.net.ConnectException: Connection refused",
    other: "org.springframework.web.client.ResourceAccessException: I/O error on POST request for \"https://crm.example.com/api/customers/4711\": Connection refused; nested exception is java.net.ConnectException: Connection refused",
    text: "org.springframework.web.client.ResourceAccessException: I/O error on POST request for \"https://erp.example.com:…/api/orders/…/confirm?…\": Connection refused; nested exception is …",
  },
  {
    name: "Spring RestTemplate, read timeout",
    a: "org.springframework.web.client.ResourceAccessException: I/O error on GET request for \"http://10.1.2.3:8080/scoring/v1/claims/CL-2024-000017\": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out",
    b: "org.springframework.web.client.ResourceAccessException: I/O error on GET request for \"http://10.1.2.4:8080/scoring/v1/claims/CL-2024-000018\": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out",
    other: "org.springframework.web.client.ResourceAccessException: I/O error on GET request for \"http://10.1.2.3:8080/scoring/v1/claims/CL-2024-000017\": Connection reset; nested exception is java.net.SocketException: Connection reset",
    text: "org.springframework.web.client.ResourceAccessException: I/O error on GET request for \"http://…/scoring/…/claims/CL-…\": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed …",
  },
  {
    name: "Spring HttpServerErrorException with a JSON body",
    a: "org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 Internal Server Error: \"{\"timestamp\":\"2024-05-02T10:15:30.123+00:00\",\"status\":500,\"error\":\"Internal Server Error\",\"path\":\"/api/orders/4711\"}\"",
    b: "org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 Internal Server Error: \"{\"timestamp\":\"2024-05-03T08:00:01.5+02:00\",\"status\":500,\"error\":\"Internal Server Error\",\"path\":\"/api/orders/12\"}\"",
    other: "org.springframework.web.client.HttpServerErrorException$ServiceUnavailable: 503 Service Unavailable: \"{\"timestamp\":\"2024-05-02T10:15:30.123+00:00\",\"status\":503,\"error\":\"Service Unavailable\",\"path\":\"/api/orders/4711\"}\"",
    text: "org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 Internal Server Error: \"…\":\"…\",\"status\":…,\"error\":\"…\",\"path\":\"…\"}\"",
  },
  {
    name: "Spring HttpClientErrorException with a business message",
    a: "org.springframework.web.client.HttpClientErrorException$NotFound: 404 Not Found: \"{\"message\":\"Customer 'C-100017' not found\"}\"",
    b: "org.springframework.web.client.HttpClientErrorException$NotFound: 404 Not Found: \"{\"message\":\"Customer 'C-2' not found\"}\"",
    other: "org.springframework.web.client.HttpClientErrorException$Unauthorized: 401 Unauthorized: [no body]",
    text: "org.springframework.web.client.HttpClientErrorException$NotFound: 404 Not Found: \"…\":\"…\"}\"",
  },
  {
    name: "OpenFeign",
    a: "feign.FeignException$ServiceUnavailable: [503 Service Unavailable] during [POST] to [http://billing/api/invoices/4711] [BillingClient#createInvoice(InvoiceRequest)]: [upstream connect error or disconnect/reset before headers. reset reason: connection failure]",
    b: "feign.FeignException$ServiceUnavailable: [503 Service Unavailable] during [POST] to [http://billing/api/invoices/1] [BillingClient#createInvoice(InvoiceRequest)]: [upstream connect error or disconnect/reset before headers. reset reason: connection failure]",
    other: "feign.RetryableException: Read timed out executing POST http://billing/api/invoices/4711",
    text: "feign.FeignException$ServiceUnavailable: [503 Service Unavailable] during [POST] to [http://billing/api/invoices/…] [BillingClient#createInvoice(InvoiceRequest)]: [upstream connect error or …",
  },
  {
    name: "Apache HttpClient, connect failed",
    a: "org.apache.http.conn.HttpHostConnectException: Connect to api.example.com:443 [api.example.com/10.1.2.3] failed: Connection refused (Connection refused)",
    b: "org.apache.http.conn.HttpHostConnectException: Connect to api.example.com:443 [api.example.com/10.1.2.7] failed: Connection refused (Connection refused)",
    other: "org.apache.http.conn.HttpHostConnectException: Connect to pay.example.com:443 [pay.example.com/10.1.2.3] failed: Connection refused (Connection refused)",
    text: "org.apache.http.conn.HttpHostConnectException: Connect to api.example.com:… [api.example.com/…] failed: Connection refused (Connection refused)",
  },
  {
    name: "java.net.http timeout",
    a: "java.net.http.HttpConnectTimeoutException: HTTP connect timed out",
    b: "java.net.http.HttpConnectTimeoutException: HTTP connect timed out",
    other: "java.net.http.HttpTimeoutException: request timed out",
    text: "java.net.http.HttpConnectTimeoutException: HTTP connect timed out",
  },
  {
    name: "socket read timeout",
    a: "java.net.SocketTimeoutException: Read timed out",
    b: "java.net.SocketTimeoutException: Read timed out",
    other: "java.net.SocketTimeoutException: connect timed out",
    text: "java.net.SocketTimeoutException: Read timed out",
  },
  {
    name: "unknown host",
    a: "java.net.UnknownHostException: erp-prod.example.com: Name or service not known",
    b: "java.net.UnknownHostException: erp-prod.example.com: Name or service not known",
    other: "java.net.UnknownHostException: crm-prod.example.com: Name or service not known",
    text: "java.net.UnknownHostException: erp-prod.example.com: Name or service not known",
  },
  {
    name: "TLS certificate",
    a: "javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
    b: "javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
    other: "javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure",
    text: "javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
  },
  {
    name: "Hibernate constraint violation",
    a: "could not execute statement; SQL [n/a]; constraint [uk_order_no]; nested exception is org.hibernate.exception.ConstraintViolationException: could not execute statement",
    b: "could not execute statement; SQL [n/a]; constraint [uk_order_no]; nested exception is org.hibernate.exception.ConstraintViolationException: could not execute statement",
    other: "could not execute statement; SQL [n/a]; constraint [fk_order_customer]; nested exception is org.hibernate.exception.ConstraintViolationException: could not execute statement",
    text: "could not execute statement; SQL [n/a]; constraint [uk_order_no]; nested exception is org.hibernate.exception.ConstraintViolationException: could not execute statement",
  },
  {
    name: "Hibernate lock acquisition",
    a: "org.hibernate.exception.LockAcquisitionException: could not execute statement",
    b: "org.hibernate.exception.LockAcquisitionException: could not execute statement",
    other: "org.hibernate.exception.JDBCConnectionException: could not execute statement",
    text: "org.hibernate.exception.LockAcquisitionException: could not execute statement",
  },
  {
    name: "Spring JDBC duplicate entry (MySQL)",
    a: "PreparedStatementCallback; SQL [insert into orders (id, customer_id) values (?, ?)]; Duplicate entry '4711' for key 'orders.PRIMARY'; nested exception is java.sql.SQLIntegrityConstraintViolationException: Duplicate entry '4711' for key 'orders.PRIMARY'",
    b: "PreparedStatementCallback; SQL [insert into orders (id, customer_id) values (?, ?)]; Duplicate entry '17' for key 'orders.PRIMARY'; nested exception is java.sql.SQLIntegrityConstraintViolationException: Duplicate entry '17' for key 'orders.PRIMARY'",
    other: "PreparedStatementCallback; SQL [insert into orders (id, customer_id) values (?, ?)]; Cannot add or update a child row: a foreign key constraint fails",
    text: "PreparedStatementCallback; SQL [insert into orders (id, customer_id) values (?, ?)]; Duplicate entry '…' for key 'orders.PRIMARY'; nested exception is java.sql.SQLIntegrityConstraintViolationExcepti…",
  },
  {
    name: "Oracle deadlock",
    a: "java.sql.SQLException: ORA-00060: deadlock detected while waiting for resource\n",
    b: "java.sql.SQLException: ORA-00060: deadlock detected while waiting for resource\n",
    other: "java.sql.SQLIntegrityConstraintViolationException: ORA-00001: unique constraint (APP.UK_ORDER_NO) violated\n",
    text: "java.sql.SQLException: ORA-00060: deadlock detected while waiting for resource…",
  },
  {
    name: "Oracle listener",
    a: "java.sql.SQLRecoverableException: IO Error: The Network Adapter could not establish the connection (CONNECTION_ID=Xb5R2m9fQ1+8vYtZ3kLw7A==)",
    b: "java.sql.SQLRecoverableException: IO Error: The Network Adapter could not establish the connection (CONNECTION_ID=P2m4xQ6+Tn0bR8cK1dJ5eg==)",
    other: "java.sql.SQLException: Listener refused the connection with the following error: ORA-12514, TNS:listener does not currently know of service requested in connect descriptor",
    text: "java.sql.SQLRecoverableException: IO Error: The Network Adapter could not establish the connection (CONNECTION_ID=…==)",
  },
  {
    name: "HikariCP pool exhausted",
    a: "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.",
    b: "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30004ms.",
    other: "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms (total=10, active=10, idle=0, waiting=3)",
    text: "java.sql.SQLTransientConnectionException: HikariPool-… - Connection is not available, request timed out after ….",
  },
  {
    name: "PostgreSQL duplicate key (multi-line detail)",
    a: "ERROR: duplicate key value violates unique constraint \"orders_pkey\"\n  Detail: Key (id)=(4711) already exists.",
    b: "ERROR: duplicate key value violates unique constraint \"orders_pkey\"\n  Detail: Key (id)=(12) already exists.",
    other: "ERROR: duplicate key value violates unique constraint \"customers_email_key\"\n  Detail: Key (email)=(max@example.com) already exists.",
    text: "ERROR: duplicate key value violates unique constraint \"orders_pkey\"…",
  },
  {
    name: "PostgreSQL serialization failure",
    a: "org.postgresql.util.PSQLException: ERROR: could not serialize access due to concurrent update",
    b: "org.postgresql.util.PSQLException: ERROR: could not serialize access due to concurrent update",
    other: "org.postgresql.util.PSQLException: ERROR: canceling statement due to lock timeout",
    text: "org.postgresql.util.PSQLException: ERROR: could not serialize access due to concurrent update",
  },
  {
    name: "SQL Server deadlock victim",
    a: "com.microsoft.sqlserver.jdbc.SQLServerException: Transaction (Process ID 57) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.",
    b: "com.microsoft.sqlserver.jdbc.SQLServerException: Transaction (Process ID 112) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.",
    other: "com.microsoft.sqlserver.jdbc.SQLServerException: Lock request time out period exceeded.",
    text: "com.microsoft.sqlserver.jdbc.SQLServerException: Transaction (Process ID …) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.",
  },
  {
    name: "JDBC with SQL state",
    a: "org.springframework.dao.CannotAcquireLockException: PreparedStatementCallback; SQL state [40001]; error code [1213]; Deadlock found when trying to get lock; try restarting transaction",
    b: "org.springframework.dao.CannotAcquireLockException: PreparedStatementCallback; SQL state [40001]; error code [1213]; Deadlock found when trying to get lock; try restarting transaction",
    other: "org.springframework.dao.CannotAcquireLockException: PreparedStatementCallback; SQL state [40001]; error code [1205]; Lock wait timeout exceeded; try restarting transaction",
    text: "org.springframework.dao.CannotAcquireLockException: PreparedStatementCallback; SQL state [40001]; error code [1213]; Deadlock found when trying to get lock; try restarting transaction",
  },
  {
    name: "JavaMail connect",
    a: "javax.mail.MessagingException: Could not connect to SMTP host: smtp.example.com, port: 25;\n  nested exception is:\n\tjava.net.ConnectException: Connection refused (Connection refused)",
    b: "javax.mail.MessagingException: Could not connect to SMTP host: smtp.example.com, port: 587;\n  nested exception is:\n\tjava.net.ConnectException: Connection timed out",
    other: "javax.mail.MessagingException: Could not connect to SMTP host: relay.example.org, port: 25",
    text: "javax.mail.MessagingException: Could not connect to SMTP host: smtp.example.com, port: …;…",
  },
  {
    name: "Spring Mail, recipient rejected",
    a: "Failed messages: com.sun.mail.smtp.SMTPSendFailedException: 550 5.1.1 <max.mustermann@example.com>: Recipient address rejected: User unknown",
    b: "Failed messages: com.sun.mail.smtp.SMTPSendFailedException: 550 5.1.1 <erika.m@example.org>: Recipient address rejected: User unknown",
    other: "Failed messages: com.sun.mail.smtp.SMTPSendFailedException: 552 5.3.4 Message size exceeds fixed limit",
    text: "Failed messages: com.sun.mail.smtp.SMTPSendFailedException: … … <…>: Recipient address rejected: User unknown",
  },
  {
    name: "Camunda expression",
    a: "Unknown property used in expression: ${customer.name}. Cause: Cannot resolve identifier 'customer'",
    b: "Unknown property used in expression: ${customer.name}. Cause: Cannot resolve identifier 'customer'",
    other: "Unknown property used in expression: ${order.total}. Cause: Cannot resolve identifier 'order'",
    text: "Unknown property used in expression: ${customer.name}. Cause: Cannot resolve identifier 'customer'",
  },
  {
    name: "Camunda stuck gateway",
    a: "ENGINE-02004 No outgoing sequence flow for the element with id 'Gateway_1x2y3z' could be selected for continuing the process.",
    b: "ENGINE-02004 No outgoing sequence flow for the element with id 'Gateway_0k9j8h' could be selected for continuing the process.",
    other: "ENGINE-02005 Default sequence flow 'Flow_0a1b2c' for element with id 'Gateway_1x2y3z' could not be selected for continuing the process.",
    text: "ENGINE-02004 No outgoing sequence flow for the element with id '…' could be selected for continuing the process.",
  },
  {
    name: "Camunda BpmnError without handler",
    a: "ENGINE-02042 Execution with id 'ServiceTask_Reserve' throws an error event with errorCode 'STOCK_EMPTY' and errorMessage 'Article 4711 out of stock', but no error handler was defined. ",
    b: "ENGINE-02042 Execution with id 'ServiceTask_Reserve' throws an error event with errorCode 'STOCK_EMPTY' and errorMessage 'Article 12 out of stock', but no error handler was defined. ",
    other: "ENGINE-02042 Execution with id 'ServiceTask_Reserve' throws an error event with errorCode 'ARTICLE_UNKNOWN' and errorMessage 'Article 4711 unknown', but no error handler was defined. ",
    text: "ENGINE-02042 Execution with id 'ServiceTask_Reserve' throws an error event with errorCode 'STOCK_EMPTY' and errorMessage '…', but no error handler was defined. ",
  },
  {
    name: "Camunda optimistic locking",
    a: "ENGINE-03005 Execution of 'UPDATE VariableInstanceEntity[3c4f5e6a-1b2c-11ef-9d8e-0242ac120002]' failed. Entity was updated by another transaction concurrently.",
    b: "ENGINE-03005 Execution of 'UPDATE VariableInstanceEntity[aa0f5e6a-1b2c-11ef-9d8e-0242ac120999]' failed. Entity was updated by another transaction concurrently.",
    other: "ENGINE-03004 Exception while executing Database Operation 'INSERT VariableInstanceEntity[3c4f5e6a-1b2c-11ef-9d8e-0242ac120002]' with message ''. Flush summary: ",
    text: "ENGINE-03005 Execution of '…' failed. Entity was updated by another transaction concurrently.",
  },
  {
    name: "Camunda class not found",
    a: "ENGINE-09008 Exception while instantiating class 'com.acme.invoice.PostToSapDelegate': ENGINE-09017 Cannot load class 'com.acme.invoice.PostToSapDelegate': com.acme.invoice.PostToSapDelegate",
    b: "ENGINE-09008 Exception while instantiating class 'com.acme.invoice.PostToSapDelegate': ENGINE-09017 Cannot load class 'com.acme.invoice.PostToSapDelegate': com.acme.invoice.PostToSapDelegate",
    other: "ENGINE-09008 Exception while instantiating class 'com.acme.invoice.ArchiveDelegate': ENGINE-09017 Cannot load class 'com.acme.invoice.ArchiveDelegate': com.acme.invoice.ArchiveDelegate",
    text: "ENGINE-09008 Exception while instantiating class 'com.acme.invoice.PostToSapDelegate': ENGINE-09017 Cannot load class 'com.acme.invoice.PostToSapDelegate': com.acme.invoice.PostToSapDelegate",
  },
  {
    name: "Camunda script error",
    a: "ENGINE-13019 Unable to evaluate script while executing activity 'Task_Score' in the process definition with id 'claims:4:7d3e2f1a-0b9c-11ef-8a7b-0242ac120002': TypeError: Cannot read property \"score\" from undefined in <eval> at line number 12",
    b: "ENGINE-13019 Unable to evaluate script while executing activity 'Task_Score' in the process definition with id 'claims:5:0000aaaa-0b9c-11ef-8a7b-0242ac120002': TypeError: Cannot read property \"score\" from undefined in <eval> at line number 12",
    other: "ENGINE-13019 Unable to evaluate script while executing activity 'Task_Score' in the process definition with id 'claims:4:7d3e2f1a-0b9c-11ef-8a7b-0242ac120002': ReferenceError: \"claim\" is not defined in <eval> at line number 3",
    text: "ENGINE-13019 Unable to evaluate script while executing activity 'Task_Score' in the process definition with id '…': TypeError: Cannot read property \"score\" from undefined in <eval> at line number …",
  },
  {
    name: "NullPointerException with Java object identity",
    a: "java.lang.IllegalStateException: Cannot ship com.acme.shipping.Parcel@1b6d3586 without address (order 4711, created Thu May 02 10:15:30 CEST 2024)",
    b: "java.lang.IllegalStateException: Cannot ship com.acme.shipping.Parcel@4554617c without address (order 12, created Sat Jun 01 08:00:00 CEST 2024)",
    other: "java.lang.IllegalStateException: Cannot ship com.acme.shipping.Parcel@1b6d3586 without weight (order 4711, created Thu May 02 10:15:30 CEST 2024)",
    text: "java.lang.IllegalStateException: Cannot ship com.acme.shipping.Parcel@… without address (order …, created …)",
  },
  {
    name: "external task worker with business key and e-mail",
    a: "Could not notify customer max.mustermann@example.com about claim CL-2024-000017: mailbox full",
    b: "Could not notify customer erika@example.org about claim CL-2023-9: mailbox full",
    other: "Could not notify customer max.mustermann@example.com about claim CL-2024-000017: address unknown",
    text: "Could not notify customer … about claim CL-…: mailbox full",
  },
  {
    name: "Kafka producer",
    a: "org.apache.kafka.common.errors.TimeoutException: Topic orders-v2 not present in metadata after 60000 ms.",
    b: "org.apache.kafka.common.errors.TimeoutException: Topic orders-v2 not present in metadata after 60000 ms.",
    other: "org.apache.kafka.common.errors.TimeoutException: Expiring 12 record(s) for orders-v2-0:120001 ms has passed since batch creation",
    text: "org.apache.kafka.common.errors.TimeoutException: Topic orders-… not present in metadata after … ms.",
  },

];

describe('maskMessage on real-world messages', () => {
  it.each(CORPUS)('$name: both variants give one cause', ({ a, b, text }) => {
    expect(maskMessage(a).text).toBe(text);
    expect(maskMessage(b)).toEqual(maskMessage(a));
  });

  it.each(CORPUS)('$name: the pattern counts both variants and not the other problem', ({ a, b, other }) => {
    const { pattern } = maskMessage(a);
    expect(likeMatches(pattern!, a)).toBe(true);
    expect(likeMatches(pattern!, b)).toBe(true);
    expect(likeMatches(pattern!, other)).toBe(false);
    expect(maskMessage(other).text).not.toBe(maskMessage(a).text);
  });

  it('has a realistic corpus', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
  });
});

describe('maskMessage, the rule in detail', () => {
  const text = (message: string) => maskMessage(message).text;

  it('gives incidents without message their own text and no pattern', () => {
    expect(maskMessage(null)).toEqual({ text: '(no message)', pattern: undefined });
    expect(maskMessage(undefined)).toEqual({ text: '(no message)', pattern: undefined });
    expect(maskMessage('')).toEqual({ text: '(no message)', pattern: undefined });
    // A message that reads so is another cause, with a pattern.
    expect(maskMessage('(no message)')).toEqual({ text: '(no message)…', pattern: '(no message)%' });
  });

  it('masks numbers, and words and runs with digits, as one placeholder each', () => {
    expect(text('Order 4711 failed after 3 retries')).toBe('Order … failed after … retries');
    expect(text('at 2024-05-02T10:15:30.123+02:00 on 10.0.0.5:8080')).toBe('at … on …');
    expect(text('claim CL-2024-000017 of node01.example.com')).toBe('claim CL-… of ….example.com');
    expect(text('amount -12.50 exceeds 1e6')).toBe('amount -… exceeds …');
  });

  it('masks UUIDs, hex identities, e-mail addresses and Java dates', () => {
    expect(text('Execution aabbccdd-eeff-aabb-ccdd-eeffaabbccdd not found')).toBe('Execution … not found');
    expect(text('com.acme.Order@deadbeef is invalid')).toBe('com.acme.Order@… is invalid');
    expect(text('mail to a.b+c@mail.example.com bounced')).toBe('mail to … bounced');
    expect(text('created Thu May 02 10:15:30 CEST 2024, due Mon Jun  3 08:00:00 2024')).toBe('created …, due …');
  });

  it('masks quoted values unless they are one name without digits', () => {
    expect(text(`Customer 'Müller GmbH' unknown`)).toBe(`Customer '…' unknown`);
    expect(text(`Duplicate entry '4711' for key 'PRIMARY'`)).toBe(`Duplicate entry '…' for key 'PRIMARY'`);
    expect(text(`constraint "orders_pkey" violated`)).toBe(`constraint "orders_pkey" violated`);
    expect(text(`Cannot load class 'com.acme.Delegate'`)).toBe(`Cannot load class 'com.acme.Delegate'`);
    expect(text(`Can't find 'x y' and don't retry`)).toBe(`Can't find '…' and don't retry`);
  });

  it('reads letters beyond ASCII as letters', () => {
    expect(text(`Kunde 'Müller' in Straße 5 (Grüße4711)`)).toBe(`Kunde 'Müller' in Straße … (…)`);
    expect(text('Заказ 4711 не найден')).toBe('Заказ … не найден');
  });

  it('keeps a URL up to its path and masks its query, fragment and credentials', () => {
    expect(text('GET https://user:secret@api.example.com/v2/orders/17?token=abc#top failed')).toBe('GET https://…@api.example.com/…/orders/…?… failed');
    expect(text('GET "http://erp/api/orders?id=1" failed')).toBe('GET "http://erp/api/orders?…" failed');
  });

  it('keeps exception classes, Camunda and Oracle error codes, SQL states and HTTP status codes', () => {
    expect(text('org.h2.jdbc.JdbcSQLException: Http2Exception')).toBe('org.h2.jdbc.JdbcSQLException: Http2Exception');
    expect(text('ENGINE-03005 and ORA-00060 and TNS-12541')).toBe('ENGINE-03005 and ORA-00060 and TNS-12541');
    expect(text('SQLState: 40001, SQL state [23505], error code [1213]')).toBe('SQLState: 40001, SQL state [23505], error code [1213]');
    expect(text('answered HTTP 503 after 5 s; status code: 502; 500 Internal Server Error')).toBe('answered HTTP 503 after … s; status code: 502; 500 Internal Server Error');
    expect(text('Scoring service answered 500')).toBe('Scoring service answered …');
  });

  it('keeps host names, so that two systems down are two causes', () => {
    expect(text('Connect to erp.example.com:443 failed')).not.toBe(text('Connect to crm.example.com:443 failed'));
    expect(text('Connect to erp.example.com:443 failed')).toBe(text('Connect to erp.example.com:8443 failed'));
  });

  it('reads the first line only; the pattern then ends with %', () => {
    const masked = maskMessage('ERROR: duplicate key "orders_pkey"\r\n  Detail: Key (id)=(4711) already exists.');
    expect(masked).toEqual({ text: 'ERROR: duplicate key "orders_pkey"…', pattern: 'ERROR: duplicate key "orders\\_pkey"%' });
    expect(maskMessage('Read timed out\n').text).toBe('Read timed out…');
    expect(maskMessage('\nat com.acme.Foo').text).toBe('…');
  });

  it('escapes only %, _ and \\, makes [ a single-character wildcard and collapses %', () => {
    expect(maskMessage('100% of a_b in C:\\temp [x]')).toEqual({ text: '…% of a_b in C:\\temp [x]', pattern: '%\\% of a\\_b in C:\\\\temp _x]' });
    expect(maskMessage('%%%___').pattern).toBe('\\%\\%\\%\\_\\_\\_');
    expect(maskMessage('\\\\').pattern).toBe('\\\\\\\\');
    expect(maskMessage('a 1 2 3 b').pattern).toBe('a % % % b');
    expect(maskMessage('a 1\t2…3 b').pattern).toBe('a % b');
  });

  it('masks control and format characters, so that the text is safe to show', () => {
    const masked = maskMessage('a\u0000b\u001bc\u202ed\u200be\u2028f\ud800g');
    expect(masked.text).toBe('a…b…c…d…e…f…g');
    expect(likeMatches(masked.pattern!, 'a\u0000b\u001bc\u202ed\u200be\u2028f\ud800g')).toBe(true);
  });

  it('cuts a long message to a bounded prefix ending in %, after a space when one is near', () => {
    const long = `java.lang.IllegalStateException: ${'word '.repeat(100)}end`;
    const masked = maskMessage(long);
    expect(masked.pattern!.length).toBeLessThanOrEqual(MAX_PATTERN_LENGTH);
    expect(masked.pattern!.endsWith(' %')).toBe(true);
    expect(masked.text.endsWith(' …')).toBe(true);
    expect(likeMatches(masked.pattern!, long)).toBe(true);
    // Never inside an escape: 150 underscores are 300 pattern characters.
    const escapes = maskMessage('_'.repeat(150));
    expect(escapes.pattern).toBe(`${'\\_'.repeat(99)}%`);
    expect(escapes.text).toBe(`${'_'.repeat(99)}…`);
  });

  // Catastrophic backtracking would run into the test timeout.
  it('stays bounded on hostile input of 100 KB', () => {
    const huge = `${'x'.repeat(50_000)}'${'"'.repeat(50_000)}`;
    for (const message of [huge, '%'.repeat(100_000), '\\'.repeat(100_000), '1.'.repeat(50_000), "' ".repeat(50_000), `${'a'.repeat(99_999)}\n`]) {
      const masked = maskMessage(message);
      expect(masked.pattern!.length).toBeLessThanOrEqual(MAX_PATTERN_LENGTH);
      expect(likeMatches(masked.pattern!, message)).toBe(true);
    }
  });
});
