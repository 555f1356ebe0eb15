<%@ page contentType="text/html;charset=UTF-8" pageEncoding="UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<c:set var="title" value="Something went wrong"/>
<%@ include file="head.jspf" %>
<h1>Something went wrong</h1>
<p id="error" class="error" role="alert"><c:out value="${message}"/></p>
<%@ include file="foot.jspf" %>
